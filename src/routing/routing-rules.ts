// An inbox's keyword rules: what a new inbound thread's first message says decides the skills and language it needs.
import type { RoutingRuleColumn } from '../../entities/inbox.entity.ts';
import { mentions } from '../platform/text/keywords.ts';
import { fromJson } from '../platform/db/rows.ts';
import { normalizeTags, tagList } from '../platform/text/tags.ts';

export interface RoutingNeeds { requiredSkills: string[]; language: string | null }

/**
 * Starts from the inbox's defaults; every rule with a keyword the body mentions (whole word or phrase, any case)
 * adds its skills, and the first of them that names a language sets it. Rules refine the defaults, never drop them.
 */
export function needsFromRules(stored: unknown, body: string | undefined, defaults: RoutingNeeds): RoutingNeeds {
  const rules = ruleList(stored);
  if (!rules.length || !body) return defaults;
  const matched = rules.filter((rule) => rule.keywords.some((keyword) => mentions(body, keyword)));
  if (matched.length === 0) return defaults;
  return {
    requiredSkills: normalizeTags([...defaults.requiredSkills, ...matched.flatMap((rule) => tagList(rule.skills))]),
    language: matched.find((rule) => rule.language)?.language ?? defaults.language,
  };
}

/** The stored rules as a query answers them (see fromJson). */
export function ruleList(value: unknown): RoutingRuleColumn[] {
  const list = fromJson<unknown>(value);
  return Array.isArray(list) ? list as RoutingRuleColumn[] : [];
}
