// The pure round-robin choice: who is eligible, and in what order they get the next conversation.
import type { PresenceStatus, Role } from '../contract/dto.ts';

export interface Candidate {
  userId: string;
  role: Role;
  active: boolean;
  presence: PresenceStatus;
  /** Conversations assigned to them in status open or pending. */
  load: number;
  /** null: unlimited. */
  capacity: number | null;
  /** Member order in the inbox; breaks ties. */
  position: number;
  /** When round robin last gave them a conversation of this inbox (epoch microseconds), null if never. */
  lastAutoAssignedUs: number | null;
}

export function isEligible(c: Candidate): boolean {
  return c.role !== 'bot' && c.active && c.presence === 'online' && (c.capacity === null || c.load < c.capacity);
}

/** Eligible candidates, least recently auto-assigned first (never assigned before anyone), then by member order. */
export function rankCandidates(candidates: Candidate[]): Candidate[] {
  return candidates.filter(isEligible).sort((a, b) => {
    const at = a.lastAutoAssignedUs ?? -Infinity;
    const bt = b.lastAutoAssignedUs ?? -Infinity;
    return at === bt ? a.position - b.position : at - bt;
  });
}

/**
 * Hands `count` waiting conversations, oldest first, to ranked candidates in turn: each one given a
 * conversation becomes the most recently assigned (goes to the back) and carries one more load.
 * Answers one assignee per conversation that someone could take; stops when nobody has capacity left.
 */
export function distribute(ranked: Candidate[], count: number): string[] {
  const queue = ranked.map((c) => ({ ...c }));
  const picks: string[] = [];
  while (picks.length < count) {
    const index = queue.findIndex((c) => c.capacity === null || c.load < c.capacity);
    if (index < 0) break;
    const [next] = queue.splice(index, 1);
    next.load++;
    picks.push(next.userId);
    queue.push(next);
  }
  return picks;
}
