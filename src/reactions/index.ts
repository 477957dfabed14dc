// Everything that happens after a domain event, in one list: read it to learn what follows a change. Each
// reaction runs after the commit, isolated by the bus (a failure is logged and counted, never thrown back).
// The realtime broadcaster (realtime/broadcaster.ts) is the other listener: it turns events into emits.
//
//   message.created       → assignee-unread-after-message, notify-mentions, notify-customer-reply, kick-webhooks, run-automation-rules
//   conversation.updated  → recompute-queue, kick-webhooks, run-automation-rules, send-csat-survey
//   assignment.changed    → assignment-unread, capacity-freed, track-masked-access, notify-assignee, recompute-queue, kick-webhooks
//   presence.changed      → record-presence, recompute-queue
//   sla.alert             → notify-sla-warning, kick-webhooks, run-automation-rules
//   automation.changed    → forget-automation-rules (realtime/node-relay.ts carries it to the other nodes)
//
// In the transaction itself, not after it: what follows a message's delivery status (a campaign's recipient,
// StatusFollower) and a send's canned response (its usage count, SendFollower), passed to those services.
import type { EntityManager } from '@mikro-orm/core';
import type { Router } from '../routing/routing.ts';
import type { EventBus } from '../platform/events/domain-events.ts';
import { assigneeUnreadAfterMessage } from './assignee-unread-after-message.ts';
import { assignmentUnread } from './assignment-unread.ts';
import { capacityFreed } from './capacity-freed.ts';
import { kickWebhooks } from './kick-webhooks.ts';
import { notifyAssignee } from './notify-assignee.ts';
import { notifyCustomerReply } from './notify-customer-reply.ts';
import { notifyMentions } from './notify-mentions.ts';
import { notifySlaWarning } from './notify-sla-warning.ts';
import type { Reaction } from './reaction.ts';
import { recomputeQueue } from './recompute-queue.ts';
import { recordPresence } from './record-presence.ts';
import { forgetAutomationRules, runAutomationRules } from './run-automation-rules.ts';
import type { RuleRunner } from '../features/automation/rule-runner.ts';
import type { MessageSender } from '../core/messages/send.service.ts';
import type { SurveyLinks } from '../features/csat/survey-link.ts';
import type { NotificationWriter } from '../features/notifications/notification-writer.ts';
import type { WindowClaims } from '../platform/coordination/window-claims.ts';
import { sendCsatSurvey } from './send-csat-survey.ts';
import { trackMaskedAccess } from './track-masked-access.ts';

export interface ReactionDeps {
  bus: EventBus;
  router: Router;
  emFor(tenantId: string): EntityManager;
  webhooks: { kick(): void };
  rules: RuleRunner;
  messages: MessageSender;
  surveys: SurveyLinks;
  notifications: NotificationWriter;
  /** Whose turn it is to recompute a tenant's live queue (one node per window). */
  windows: WindowClaims;
}

export function reactions({ bus, router, emFor, webhooks, rules, messages, surveys, notifications, windows }: ReactionDeps): Reaction[] {
  return [
    assigneeUnreadAfterMessage(bus, emFor),
    assignmentUnread(bus, emFor),
    capacityFreed(router),
    trackMaskedAccess(bus, emFor),
    notifyAssignee(notifications),
    notifyMentions(bus, emFor, notifications),
    notifyCustomerReply(notifications),
    notifySlaWarning(notifications),
    recordPresence(router, emFor),
    recomputeQueue(bus, router, windows),
    kickWebhooks(webhooks),
    runAutomationRules(rules, emFor),
    forgetAutomationRules(rules),
    sendCsatSurvey(messages, surveys, emFor),
  ];
}
