// Automation rules: event → conditions → actions, made by supervisors and admins, and their execution log.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { AutomationRule, AutomationRun } from '../../../entities/index.ts';
import { AUTOMATION_EVENTS } from '../../../entities/enums.ts';
import type { ActionDto, ActionResultDto, AutomationRuleDto, AutomationRunDto, ConditionDto } from '../../contract/dto.ts';
import { actionSchema, conditionSchema } from '../../contract/schemas.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors.ts';
import { fromJson } from '../../platform/db/rows.ts';
import { pageLimit } from '../../platform/util/paging.ts';
import { newestFirst } from '../../platform/db/newest-first.ts';

const fields = {
  name: z.string().trim().min(1).max(200),
  event: z.enum(AUTOMATION_EVENTS),
  conditions: z.array(conditionSchema).max(20),
  actions: z.array(actionSchema).min(1).max(20),
  active: z.boolean(),
};

const messageOnlyOnMessages = (rule: { event?: string; conditions?: ConditionDto[] }) =>
  rule.event === undefined || rule.event === 'message.created' || !(rule.conditions ?? []).some((c) => c.field === 'message');

export const createRuleSchema = z.object({ ...fields, conditions: fields.conditions.default([]), active: fields.active.default(true) }).strict()
  .refine(messageOnlyOnMessages, 'message conditions go with the message.created event');
export const updateRuleSchema = z.object(fields).partial().strict()
  .refine(messageOnlyOnMessages, 'message conditions go with the message.created event');
export const listRunsSchema = z.object({ limit: pageLimit(100, 50), cursor: z.string().max(200).optional() }).strict();

export function toRuleDto(r: AutomationRule): AutomationRuleDto {
  return {
    id: r.id, name: r.name, event: r.event, conditions: fromJson<ConditionDto[]>(r.conditions), actions: fromJson<ActionDto[]>(r.actions),
    active: r.active, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function toRunDto(r: AutomationRun): AutomationRunDto {
  return {
    id: r.id, ruleId: r.rule, eventKey: r.eventKey, conversationId: r.conversationId ?? null, outcome: r.outcome,
    results: fromJson<ActionResultDto[] | null>(r.details) ?? [], ranAt: new Date(r.ranAt).toISOString(),
  };
}

/** Rules act as whoever saved them last (the supervisor or admin calling). */
export async function createRule(em: EntityManager, principal: Principal, input: z.infer<typeof createRuleSchema>): Promise<AutomationRuleDto> {
  const rule = em.create(AutomationRule, { tenant: principal.tenantId, ...input, actsAs: principal.userId });
  await em.flush();
  return toRuleDto(rule);
}

export async function listRules(em: EntityManager): Promise<AutomationRuleDto[]> {
  return (await em.find(AutomationRule, {}, { orderBy: { createdAt: 'asc', id: 'asc' } })).map(toRuleDto);
}

async function findRule(em: EntityManager, id: string): Promise<AutomationRule> {
  const rule = await em.findOne(AutomationRule, { id });
  if (!rule) throw AppError.notFound('automation rule');
  return rule;
}

export async function getRule(em: EntityManager, id: string): Promise<AutomationRuleDto> {
  return toRuleDto(await findRule(em, id));
}

export async function updateRule(em: EntityManager, principal: Principal, id: string, input: z.infer<typeof updateRuleSchema>): Promise<AutomationRuleDto> {
  const rule = await findRule(em, id);
  const next = { event: input.event ?? rule.event, conditions: input.conditions ?? fromJson<ConditionDto[]>(rule.conditions) };
  if (!messageOnlyOnMessages(next)) throw AppError.validation('message conditions go with the message.created event');
  em.assign(rule, { ...input, actsAs: principal.userId });
  await em.flush();
  return toRuleDto(rule);
}

export async function deleteRule(em: EntityManager, id: string): Promise<void> {
  em.remove(await findRule(em, id));
  await em.flush();
}

/** A rule's executions, newest first, paged by cursor. */
export async function listRuns(em: EntityManager, ruleId: string, input: z.infer<typeof listRunsSchema>): Promise<{ runs: AutomationRunDto[]; nextCursor: string | null }> {
  await findRule(em, ruleId);
  const { items, nextCursor } = await newestFirst(em, AutomationRun, { rule: ruleId }, 'ranAt', input);
  return { runs: items.map(toRunDto), nextCursor };
}
