// Custom attribute values checked against their definitions: the type (text, number, date, list, checkbox)
// and a list's options. Pure, so the rules are tested without a database.
import type { AttributeType } from '../contract/dto.ts';
import { AppError } from '../platform/errors.ts';

export interface AttributeRule {
  key: string;
  type: AttributeType;
  options: string[] | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value as stored, or why it does not fit its definition. */
function checkValue(rule: AttributeRule, value: unknown): unknown {
  switch (rule.type) {
    case 'text':
      if (typeof value === 'string' && value.length <= 1000) return value;
      return new Error('must be text of at most 1000 characters');
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return new Error('must be a number');
    case 'date':
      if (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
        && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) return value;
      return new Error('must be a date (YYYY-MM-DD)');
    case 'list':
      if (typeof value === 'string' && (rule.options ?? []).includes(value)) return value;
      return new Error(`must be one of: ${(rule.options ?? []).join(', ')}`);
    case 'checkbox':
      if (typeof value === 'boolean') return value;
      return new Error('must be true or false');
  }
}

/**
 * Applies a change to stored values: a key set to null is removed, every other key must be defined and its
 * value fit. Answers the new values; refuses the whole change (VALIDATION) on the first misfit.
 */
export function applyAttributeChange(rules: readonly AttributeRule[], current: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const next = { ...current };
  for (const [key, value] of Object.entries(change)) {
    const rule = byKey.get(key);
    if (!rule) throw AppError.validation(`customAttributes.${key}: no such attribute is defined`);
    if (value === null) {
      delete next[key];
      continue;
    }
    const checked = checkValue(rule, value);
    if (checked instanceof Error) throw AppError.validation(`customAttributes.${key}: ${checked.message}`);
    next[key] = checked;
  }
  return next;
}

/** A filter's text value (`key:value` in a query string) as the stored value it compares with. */
export function filterValue(rule: AttributeRule, text: string): string | number | boolean {
  if (rule.type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw AppError.validation(`attribute ${rule.key}: must be a number`);
    return n;
  }
  if (rule.type === 'checkbox') {
    if (text !== 'true' && text !== 'false') throw AppError.validation(`attribute ${rule.key}: must be true or false`);
    return text === 'true';
  }
  return text;
}

/** Every condition's key holds the same value (conditions of routing rules, SLA policies, automation). */
export function attributesMatch(wanted: Record<string, unknown> | undefined, actual: Record<string, unknown>): boolean {
  return Object.entries(wanted ?? {}).every(([key, value]) => actual[key] === value);
}
