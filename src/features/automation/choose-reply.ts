// Which automated reply answers an inbound message, if any: pure, so the rules are tested without I/O.
import { isOpenAt, type BusinessHours } from '../../../sla/business-hours.ts';
import type { AutomatedReplyKind } from '../../contract/dto.ts';
import { mentions } from '../../platform/text/keywords.ts';

export interface ReplyRule {
  id: string;
  kind: AutomatedReplyKind;
  inboxId: string | null;
  keywords: string[] | null;
  priority: number;
  channels: string[] | null;
  activeHours: BusinessHours | null;
  businessHours: BusinessHours | null;
  enabled: boolean;
  createdAt: Date;
}

export interface Situation {
  inboxId: string;
  channel: string;
  body: string;
  /** The message started the conversation. */
  isNewConversation: boolean;
  /** An agent who could answer (a member of the inbox, or any agent when it has none) is online. */
  agentOnline: boolean;
  /** The inbox SLA policy's hours, for away rules without their own. */
  inboxHours: BusinessHours | null;
  now: Date;
}

function triggered(rule: ReplyRule, s: Situation): boolean {
  switch (rule.kind) {
    case 'keyword': return (rule.keywords ?? []).some((k) => k.trim() && mentions(s.body, k));
    case 'greeting': return s.isNewConversation;
    case 'away': {
      const hours = rule.businessHours ?? s.inboxHours;
      return !s.agentOnline || (hours !== null && !isOpenAt(s.now, hours));
    }
  }
}

function applies(rule: ReplyRule, s: Situation): boolean {
  return rule.enabled
    && (rule.inboxId === null || rule.inboxId === s.inboxId)
    && (rule.channels === null || rule.channels.includes(s.channel))
    && (rule.activeHours === null || isOpenAt(s.now, rule.activeHours));
}

/** The highest-priority rule that applies and is triggered (older first on a tie); at most one reply per message. */
export function chooseReply<R extends ReplyRule>(rules: R[], s: Situation): R | null {
  const ordered = [...rules].sort((a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime());
  return ordered.find((rule) => applies(rule, s) && triggered(rule, s)) ?? null;
}
