// Whether an automation rule's conditions hold for an event: all of them must. Pure, so the rules are
// tested without a database; the runner gathers the facts (tags and business hours only when asked for).
import type { ConditionDto, ConversationDto, MessageDto } from '../../contract/dto.ts';

export interface RuleFacts {
  conversation: ConversationDto;
  /** The event's message (message.created), if any. */
  message: MessageDto | null;
  /** The conversation's tag names, when a condition asks about tags. */
  tags: string[];
  /** Within the business hours of the conversation's SLA policy (always, when it has none). */
  withinBusinessHours: boolean;
}

function listValue(condition: Extract<ConditionDto, { operator: 'in' | 'not_in' }>, facts: RuleFacts): boolean {
  const c = facts.conversation;
  const wanted = new Set(condition.values.map((v) => v.toLowerCase()));
  const actual = (() => {
    switch (condition.field) {
      case 'channel': return [c.channel];
      case 'inbox': return [c.inboxId];
      case 'status': return [c.status];
      case 'priority': return [c.priority];
      case 'tag': return facts.tags;
    }
  })().map((v) => v.toLowerCase());
  const any = actual.some((v) => wanted.has(v));
  return condition.operator === 'in' ? any : !any;
}

export function conditionHolds(condition: ConditionDto, facts: RuleFacts): boolean {
  switch (condition.field) {
    case 'attribute': {
      const equal = facts.conversation.customAttributes[condition.key] === condition.value;
      return condition.operator === 'equals' ? equal : !equal;
    }
    case 'message': {
      // Text of a message the event is about; an event without one (a status change) has no text to contain anything.
      const text = facts.message?.body.toLowerCase() ?? '';
      const contains = condition.values.some((v) => text.includes(v.toLowerCase()));
      return condition.operator === 'contains' ? facts.message !== null && contains : !contains;
    }
    case 'business_hours':
      return condition.operator === 'within' ? facts.withinBusinessHours : !facts.withinBusinessHours;
    default:
      return listValue(condition, facts);
  }
}

export const conditionsHold = (conditions: readonly ConditionDto[], facts: RuleFacts): boolean => conditions.every((c) => conditionHolds(c, facts));

export const needsTags = (conditions: readonly ConditionDto[]): boolean => conditions.some((c) => c.field === 'tag');
export const needsBusinessHours = (conditions: readonly ConditionDto[]): boolean => conditions.some((c) => c.field === 'business_hours');
