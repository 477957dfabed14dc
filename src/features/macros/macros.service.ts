// Macros: named lists of actions an agent runs on a conversation with one call. Shared ones (made by
// supervisors and admins) are the tenant's; the others are their owner's alone, like canned responses.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Macro } from '../../../entities/index.ts';
import type { ActionDto, ActionResultDto, ConversationDto, MacroDto } from '../../contract/dto.ts';
import { actionSchema } from '../../contract/schemas.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { assertMayChange, assertMayShare, sharedOrOwnedBy } from '../../model/shared-or-own.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { AppError } from '../../platform/errors.ts';
import { fromJson } from '../../platform/db/rows.ts';
import { readConversation } from '../../core/conversations/conversations.service.ts';
import { runActions, type ActionServices } from '../actions/run-actions.ts';

const macroActions = z.array(actionSchema).min(1).max(20)
  .refine((actions) => actions.every((a) => a.type !== 'send_webhook'), 'send_webhook is for automation rules, not macros');

export const createMacroSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Shared with the whole tenant (supervisors and admins), or only the caller's own. */
  shared: z.boolean().default(false),
  actions: macroActions,
}).strict();

export const updateMacroSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  actions: macroActions.optional(),
}).strict();

export const runMacroSchema = z.object({ conversationId: z.uuid() }).strict();

function toMacroDto(m: Macro): MacroDto {
  return { id: m.id, name: m.name, ownerId: m.owner ?? null, actions: fromJson<ActionDto[]>(m.actions), createdAt: new Date(m.createdAt).toISOString() };
}

export async function createMacro(em: EntityManager, principal: Principal, input: z.infer<typeof createMacroSchema>): Promise<MacroDto> {
  assertMayShare(principal, input.shared, 'macros');
  const macro = em.create(Macro, { tenant: principal.tenantId, name: input.name, owner: input.shared ? null : principal.userId, actions: input.actions });
  await em.flush();
  return toMacroDto(macro);
}

async function visibleMacro(em: EntityManager, principal: Principal, id: string): Promise<Macro> {
  const macro = await em.findOne(Macro, { id, ...sharedOrOwnedBy(principal.userId) });
  if (!macro) throw AppError.notFound('macro');
  return macro;
}

async function editableMacro(em: EntityManager, principal: Principal, id: string): Promise<Macro> {
  const macro = await visibleMacro(em, principal, id);
  assertMayChange(principal, macro, 'macros');
  return macro;
}

/** Shared ones and the caller's own, by name. */
export async function listMacros(em: EntityManager, principal: Principal): Promise<MacroDto[]> {
  const rows = await em.find(Macro, sharedOrOwnedBy(principal.userId), { orderBy: { name: 'asc', id: 'asc' } });
  return rows.map(toMacroDto);
}

export async function getMacro(em: EntityManager, principal: Principal, id: string): Promise<MacroDto> {
  return toMacroDto(await visibleMacro(em, principal, id));
}

export async function updateMacro(em: EntityManager, principal: Principal, id: string, input: z.infer<typeof updateMacroSchema>): Promise<MacroDto> {
  const macro = await editableMacro(em, principal, id);
  if (input.name !== undefined) macro.name = input.name;
  if (input.actions !== undefined) macro.actions = input.actions;
  await em.flush();
  return toMacroDto(macro);
}

export async function deleteMacro(em: EntityManager, principal: Principal, id: string): Promise<void> {
  em.remove(await editableMacro(em, principal, id));
  await em.flush();
}

/** Runs the macro's actions in order as the caller (their role's limits apply to each); answers each action's outcome. */
export async function runMacro(
  ctx: CallContext, services: ActionServices, id: string, conversationId: string,
): Promise<{ results: ActionResultDto[]; conversation: ConversationDto }> {
  const macro = await visibleMacro(ctx.em, ctx.principal, id);
  await readConversation(ctx, conversationId);
  const results = await runActions(services, { ctx, conversationId, messageKey: `macro:${macro.id}:${crypto.randomUUID()}`, automation: null }, fromJson<ActionDto[]>(macro.actions));
  // The actions committed on their own: read the conversation afresh, not from this unit of work's copy.
  ctx.em.clear();
  return { results, conversation: await readConversation(ctx, conversationId) };
}
