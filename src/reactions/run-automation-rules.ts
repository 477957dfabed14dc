// Every event an automation rule can follow goes to the rule runner: a new conversation, a new message, a
// conversation's change (not a message's roll-up) and an SLA warning or breach.
import type { EntityManager } from '@mikro-orm/core';
import type { RuleRunner, RuleTrigger } from '../features/automation/rule-runner.ts';
import { getConversation } from '../core/conversations/conversations.service.ts';
import { toConversationDto } from '../model/conversation.mapper.ts';
import type { DomainEvent, EventOf } from '../platform/events/domain-events.ts';
import { reaction } from './reaction.ts';

type Followed = EventOf<'message.created' | 'conversation.updated' | 'sla.alert'>;

/** Built at once from the event (the runner's loop guard must see it while the actions that caused it run). */
function triggerOf(e: Exclude<Followed, { type: 'sla.alert' }>): RuleTrigger | null {
  switch (e.type) {
    case 'message.created':
      return { tenantId: e.tenantId, event: 'message.created', key: `message.created:${e.message.id}`, conversation: e.conversation, message: e.message, at: e.message.createdAt };
    case 'conversation.updated':
      if (e.rollUpOnly) return null;
      if (e.created) return { tenantId: e.tenantId, event: 'conversation.created', key: `conversation.created:${e.conversation.id}`, conversation: e.conversation, message: null, at: e.conversation.createdAt };
      return { tenantId: e.tenantId, event: 'conversation.updated', key: `conversation.updated:${e.conversation.id}:${e.conversation.updatedAt}`, conversation: e.conversation, message: null, at: e.conversation.updatedAt };
  }
}

async function slaTrigger(e: EventOf<'sla.alert'>, emFor: (tenantId: string) => EntityManager): Promise<RuleTrigger> {
  const conversation = toConversationDto(await getConversation(emFor(e.tenantId), e.conversationId));
  return { tenantId: e.tenantId, event: `sla.${e.alert}`, key: `sla.${e.alert}:${e.conversationId}:${e.kind}:${e.dueAt}`, conversation, message: null, at: conversation.updatedAt };
}

/** The tenant's rules changed (here or, relayed, on another node): the next event reads them afresh. */
export const forgetAutomationRules = (rules: RuleRunner) => reaction('forget-automation-rules', ['automation.changed'], (e) => rules.forget(e.tenantId));

export const runAutomationRules = (rules: RuleRunner, emFor: (tenantId: string) => EntityManager) => reaction('run-automation-rules',
  ['message.created', 'conversation.updated', 'sla.alert'], async (e: DomainEvent) => {
    const event = e as Followed;
    if (event.type === 'sla.alert') {
      // An SLA tick may alert thousands at once: the conversation is read only for a tenant with a rule to run.
      if (await rules.follows(event.tenantId, `sla.${event.alert}`)) await rules.run(await slaTrigger(event, emFor));
      return;
    }
    const trigger = triggerOf(event);
    if (trigger) await rules.run(trigger);
  });
