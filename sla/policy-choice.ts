// Which SLA policy a new conversation gets: its inbox's own policy when that is active; else the first active
// policy (oldest first) whose conditions all match the conversation (inbox, channel, priority, tags, custom attributes); else
// the tenant's active default; else none. Pure, so the rule is tested without a database.

import { attributesMatch } from '../src/model/attribute-values.ts';

/** What a policy applies to; an absent list places no condition, every present one must match. */
export interface PolicyConditions {
  inboxIds?: string[];
  channels?: string[];
  priorities?: string[];
  /** The conversation carries at least one of these tags (or skills it asks for). */
  tags?: string[];
  /** Custom attributes that must hold these values (the conversation's, over its contact's). */
  attributes?: Record<string, string | number | boolean>;
}

export interface Candidate {
  id: string;
  isDefault: boolean;
  conditions: PolicyConditions | null;
}

export interface NewConversationFacts {
  inboxId: string;
  channel: string;
  priority: string;
  tags: string[];
  attributes?: Record<string, unknown>;
}

function matches(conditions: PolicyConditions, c: NewConversationFacts): boolean {
  if (conditions.inboxIds && !conditions.inboxIds.includes(c.inboxId)) return false;
  if (conditions.channels && !conditions.channels.includes(c.channel)) return false;
  if (conditions.priorities && !conditions.priorities.includes(c.priority)) return false;
  if (conditions.tags && !conditions.tags.some((t) => c.tags.includes(t))) return false;
  if (conditions.attributes && !attributesMatch(conditions.attributes, c.attributes ?? {})) return false;
  return true;
}

/** `active`: the tenant's active policies, oldest first. Answers the chosen one, or null. */
export function choosePolicy<P extends Candidate>(active: readonly P[], inboxPolicyId: string | null, c: NewConversationFacts): P | null {
  if (inboxPolicyId) return active.find((p) => p.id === inboxPolicyId) ?? null;
  return active.find((p) => p.conditions && matches(p.conditions, c)) ?? active.find((p) => p.isDefault) ?? null;
}
