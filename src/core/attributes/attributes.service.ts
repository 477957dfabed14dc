// The tenant's custom attribute definitions (contacts and conversations), and setting values on a record.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { AttributeDefinition } from '../../../entities/index.ts';
import { ATTRIBUTE_SUBJECTS, ATTRIBUTE_TYPES } from '../../../entities/enums.ts';
import type { AttributeDefinitionDto, AttributeSubject } from '../../contract/dto.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { applyAttributeChange, filterValue, type AttributeRule } from '../../model/attribute-values.ts';

const options = z.array(z.string().trim().min(1).max(200)).min(1).max(200)
  .refine((list) => new Set(list).size === list.length, 'options must not repeat');

export const createAttributeSchema = z.object({
  appliesTo: z.enum(ATTRIBUTE_SUBJECTS),
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'key: lower-case letters, digits and _, starting with a letter'),
  label: z.string().trim().min(1).max(200),
  type: z.enum(ATTRIBUTE_TYPES),
  options: options.optional(),
}).strict().refine((a) => (a.type === 'list') === (a.options !== undefined), 'options go with (and only with) type list');

/** The key, the subject and the type are fixed (stored values were checked against them). */
export const updateAttributeSchema = z.object({
  label: z.string().trim().min(1).max(200).optional(),
  options: options.optional(),
}).strict();

export const listAttributesSchema = z.object({ appliesTo: z.enum(ATTRIBUTE_SUBJECTS).optional() }).strict();

/** A record's values change: keys to set (null removes one). */
export const attributeChangeSchema = z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .refine((change) => Object.keys(change).length <= 100, 'at most 100 attributes at once');

/** `key:value` filters of a list or a search, one or repeated. */
export const attributeFilterSchema = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().max(300).regex(/^[a-z][a-z0-9_]{0,63}:/, 'attribute filters are key:value')).max(10));

function toDto(d: AttributeDefinition): AttributeDefinitionDto {
  return { id: d.id, appliesTo: d.appliesTo, key: d.key, label: d.label, type: d.type, options: (d.options as string[] | null) ?? null, createdAt: d.createdAt.toISOString() };
}

export async function createAttribute(em: EntityManager, principal: Principal, input: z.infer<typeof createAttributeSchema>): Promise<AttributeDefinitionDto> {
  const definition = em.create(AttributeDefinition, {
    tenant: principal.tenantId, appliesTo: input.appliesTo, key: input.key, label: input.label, type: input.type, options: input.options ?? null,
  });
  await em.flush().catch((err: unknown) => {
    if (isUniqueViolation(err)) throw AppError.conflict(`key: ${input.appliesTo} attribute ${input.key} exists`);
    throw err;
  });
  return toDto(definition);
}

export async function listAttributes(em: EntityManager, appliesTo?: AttributeSubject): Promise<AttributeDefinitionDto[]> {
  const rows = await em.find(AttributeDefinition, appliesTo ? { appliesTo } : {}, { orderBy: { appliesTo: 'asc', key: 'asc' } });
  return rows.map(toDto);
}

/** A list's options may change; values already stored stay as they are. */
export async function updateAttribute(em: EntityManager, id: string, input: z.infer<typeof updateAttributeSchema>): Promise<AttributeDefinitionDto> {
  const definition = await em.findOne(AttributeDefinition, { id });
  if (!definition) throw AppError.notFound('attribute');
  if (input.options !== undefined && definition.type !== 'list') throw AppError.validation('options go only with type list');
  if (input.label !== undefined) definition.label = input.label;
  if (input.options !== undefined) definition.options = input.options;
  await em.flush();
  return toDto(definition);
}

/** Values already stored under the key stay on their records (and are no longer checked or filterable). */
export async function deleteAttribute(em: EntityManager, id: string): Promise<void> {
  const definition = await em.findOne(AttributeDefinition, { id });
  if (!definition) throw AppError.notFound('attribute');
  em.remove(definition);
  await em.flush();
}

export async function attributeRules(em: EntityManager, appliesTo: AttributeSubject): Promise<AttributeRule[]> {
  const rows = await em.find(AttributeDefinition, { appliesTo }, { fields: ['key', 'type', 'options'] });
  return rows.map((r) => ({ key: r.key, type: r.type, options: (r.options as string[] | null) ?? null }));
}

/** New values of a record after a change, checked against the tenant's definitions. */
export async function changedAttributes(em: EntityManager, appliesTo: AttributeSubject, current: Record<string, unknown>, change: Record<string, unknown>): Promise<Record<string, unknown>> {
  return applyAttributeChange(await attributeRules(em, appliesTo), current, change);
}

/** `key:value` filters as typed values, each key defined for the subject. */
export async function attributeFilters(em: EntityManager, appliesTo: AttributeSubject, filters: string[] | undefined): Promise<Record<string, string | number | boolean>> {
  if (!filters?.length) return {};
  const rules = new Map((await attributeRules(em, appliesTo)).map((r) => [r.key, r]));
  const wanted: Record<string, string | number | boolean> = {};
  for (const filter of filters) {
    const at = filter.indexOf(':');
    const key = filter.slice(0, at);
    const rule = rules.get(key);
    if (!rule) throw AppError.validation(`attribute ${key}: no such ${appliesTo} attribute is defined`);
    wanted[key] = filterValue(rule, filter.slice(at + 1));
  }
  return wanted;
}
