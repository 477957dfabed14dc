// An inbox's keyword rules: what a new inbound thread's first message says decides the skills and language it needs.
import type { RoutingRuleColumn } from '../../entities/inbox.entity.ts';
import { mentions } from '../platform/text/keywords.ts';
import { fromJson } from '../platform/db/rows.ts';
import { normalizeTags, tagList } from '../platform/text/tags.ts';
import { attributesMatch } from '../model/attribute-values.ts';

export interface RoutingNeeds { requiredSkills: string[]; language: string | null }

/** A rule matches when the body mentions one of its keywords (if it has any) and the contact holds all its attribute values. */
function ruleMatches(rule: RoutingRuleColumn, body: string | undefined, attributes: Record<string, unknown>): boolean {
  if (rule.keywords.length && !(body && rule.keywords.some((keyword) => mentions(body, keyword)))) return false;
  return attributesMatch(rule.attributes, attributes);
}

/**
 * Starts from the inbox's defaults; every matching rule (keywords: whole word or phrase, any case; contact
 * attributes: equal values) adds its skills, and the first of them that names a language sets it. Rules refine
 * the defaults, never drop them.
 */
export function needsFromRules(stored: unknown, body: string | undefined, defaults: RoutingNeeds, attributes: Record<string, unknown> = {}): RoutingNeeds {
  const rules = ruleList(stored);
  if (!rules.length) return defaults;
  const matched = rules.filter((rule) => ruleMatches(rule, body, attributes));
  if (matched.length === 0) return defaults;
  return {
    requiredSkills: normalizeTags([...defaults.requiredSkills, ...matched.flatMap((rule) => tagList(rule.skills))]),
    language: matched.find((rule) => rule.language)?.language ?? defaults.language,
  };
}

/** The stored rules as a query answers them (see fromJson); rules stored before attributes existed have none. */
export function ruleList(value: unknown): (RoutingRuleColumn & { attributes: Record<string, string | number | boolean> })[] {
  const list = fromJson<unknown>(value);
  return Array.isArray(list) ? (list as RoutingRuleColumn[]).map((rule) => ({ ...rule, attributes: rule.attributes ?? {} })) : [];
}
