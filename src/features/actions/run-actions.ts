// The actions of macros and automation rules, done one after another on a conversation through the same
// services the API calls (so the same checks and events apply). A failing action is reported and the next
// ones still run: each is its own change, committed on its own.
import { CannedResponse } from '../../../entities/index.ts';
import type { ActionDto, ActionResultDto } from '../../contract/dto.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Routing } from '../../routing/routing-port.ts';
import { assignConversation } from '../../routing/assign.service.ts';
import { assignTeam } from '../../routing/team-assign.service.ts';
import { tagConversation, untagConversation } from '../../core/tags/tags.service.ts';
import { updateConversation } from '../../core/conversations/update.service.ts';
import { changeStatus } from '../../core/conversations/conversations.service.ts';
import type { MessageSender } from '../../core/messages/send.service.ts';
import { messageFrom, type NewMessage } from '../../core/messages/new-message.ts';
import { queuePayloadDelivery } from '../webhooks/queue-payload.ts';
import { sharedOrOwnedBy } from '../../model/shared-or-own.ts';

export interface ActionServices {
  routing: Routing;
  messages: MessageSender;
  webhooks: { kick(): void };
}

/** Who the actions are done for, and how their messages are written. */
export interface ActionRun {
  ctx: CallContext;
  conversationId: string;
  /** Makes each message's clientMessageId, so a repeated run sends nothing twice. */
  messageKey: string;
  /** Automation: messages come from the system (not a person), and send_webhook is allowed. */
  automation: { ruleId: string; event: string } | null;
}

export async function runActions(services: ActionServices, run: ActionRun, actions: readonly ActionDto[]): Promise<ActionResultDto[]> {
  const results: ActionResultDto[] = [];
  for (const [index, action] of actions.entries()) {
    try {
      await runAction(services, run, action, index);
      results.push({ type: action.type, ok: true, error: null });
    } catch (err) {
      const error = err instanceof AppError ? `${err.code}: ${err.message}` : 'INTERNAL: the action failed';
      results.push({ type: action.type, ok: false, error });
    }
  }
  return results;
}

async function runAction(services: ActionServices, run: ActionRun, action: ActionDto, index: number): Promise<void> {
  const { ctx, conversationId: id } = run;
  switch (action.type) {
    case 'assign_agent':
      await assignConversation(ctx, services.routing, id, { assigneeId: action.userId });
      return;
    case 'assign_team':
      await assignTeam(ctx, services.routing, id, { teamId: action.teamId });
      return;
    case 'add_tag':
      await tagConversation(ctx, id, action.tagId);
      return;
    case 'remove_tag':
      await untagConversation(ctx, id, action.tagId);
      return;
    case 'set_priority':
      await updateConversation(ctx, id, { priority: action.priority });
      return;
    case 'set_attribute':
      await updateConversation(ctx, id, { customAttributes: { [action.key]: action.value } });
      return;
    case 'mute':
      await updateConversation(ctx, id, { muted: true });
      return;
    case 'snooze':
      await changeStatus(ctx, services.routing, id, { status: 'snoozed', snoozedUntil: new Date(ctx.clock.now().getTime() + action.minutes * 60_000).toISOString() });
      return;
    case 'resolve':
      await changeStatus(ctx, services.routing, id, { status: 'resolved' });
      return;
    case 'send_canned_response': {
      // A rule uses shared ones only; a macro also its runner's own.
      const canned = await ctx.em.findOne(CannedResponse, { id: action.cannedResponseId, ...sharedOrOwnedBy(run.automation ? null : ctx.principal.userId) });
      if (!canned) throw AppError.notFound('canned response');
      await services.messages.send(ctx.em, messageOf(run, index, { body: canned.body, direction: 'outbound', cannedResponseId: canned.id }));
      return;
    }
    case 'add_note':
      await services.messages.send(ctx.em, messageOf(run, index, { body: action.body, direction: 'internal' }));
      return;
    case 'send_webhook': {
      if (!run.automation) throw AppError.validation('send_webhook: only automation rules call webhooks');
      const queued = await queuePayloadDelivery(ctx.em, {
        tenantId: ctx.principal.tenantId, type: 'automation.triggered', conversationId: id, webhookId: action.webhookId, at: ctx.clock.now(),
        data: { ruleId: run.automation.ruleId, event: run.automation.event, conversationId: id },
      });
      if (!queued) throw AppError.notFound('webhook (or it is inactive)');
      services.webhooks.kick();
      return;
    }
  }
}

/** A macro's message is its agent's; an automation rule's comes from the system (like an automated reply). */
function messageOf(run: ActionRun, index: number, input: { body: string; direction: 'outbound' | 'internal'; cannedResponseId?: string }): NewMessage {
  const clientMessageId = `${run.messageKey}:${index}`;
  if (!run.automation) return messageFrom(run.ctx.principal, run.conversationId, { clientMessageId, ...input });
  return {
    tenantId: run.ctx.principal.tenantId, conversationId: run.conversationId, direction: input.direction, senderType: 'system',
    authorId: null, contactId: null, body: input.body, clientMessageId, externalId: null, cannedResponseId: input.cannedResponseId ?? null,
  };
}
