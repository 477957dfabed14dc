// The pure round-robin choice: who is eligible, in what order they get the next conversation, and which
// conversation each can take (skills, language, weighted capacity).
import type { PresenceStatus, Role } from '../contract/dto.ts';

export interface Candidate {
  userId: string;
  role: Role;
  active: boolean;
  presence: PresenceStatus;
  /** Weighted open load: each open or pending conversation counts its inbox's conversation weight. */
  load: number;
  /** null: unlimited. */
  capacity: number | null;
  /** Member order in the inbox; breaks ties. */
  position: number;
  /** When round robin last gave them a conversation of this inbox (epoch microseconds), null if never. */
  lastAutoAssignedUs: number | null;
  skills?: string[];
  languages?: string[];
  /** The teams they belong to. */
  teams?: string[];
  /** Wrapping up after a resolution in this inbox until then (epoch ms); no auto-assignment before. */
  wrapUpUntilMs?: number | null;
}

/** What a waiting conversation asks of its assignee. */
export interface Need {
  skills: string[];
  language: string | null;
  /** It waited past the inbox's fallback: anyone in the inbox may take it (of its team, if it has one). */
  anyone: boolean;
  /** Given to a team: only its members take it, before and after the fallback. */
  team?: string | null;
}

export const ANYONE: Need = { skills: [], language: null, anyone: true };

/** Weighted loads are float sums: room is judged with this hair of tolerance (here and by the drain's stamp). */
export const CAPACITY_TOLERANCE = 1e-9;

/** Room for one more conversation of this weight. */
export function hasRoom(c: Pick<Candidate, 'capacity' | 'load'>, weight = 1): boolean {
  return c.capacity === null || c.load + weight <= c.capacity + CAPACITY_TOLERANCE;
}

export function isEligible(c: Candidate, weight = 1, nowMs = Date.now()): boolean {
  return c.role !== 'bot' && c.active && c.presence === 'online' && hasRoom(c, weight) && !(c.wrapUpUntilMs != null && c.wrapUpUntilMs > nowMs);
}

export function canHandle(c: Candidate, need: Need): boolean {
  if (need.team && !(c.teams ?? []).includes(need.team)) return false;
  if (need.anyone) return true;
  const skills = c.skills ?? [];
  return need.skills.every((s) => skills.includes(s)) && (!need.language || (c.languages ?? []).includes(need.language));
}

/** Eligible candidates, least recently auto-assigned first (never assigned before anyone), then by member order. */
export function rankCandidates(candidates: Candidate[], weight = 1, nowMs = Date.now()): Candidate[] {
  return candidates.filter((c) => isEligible(c, weight, nowMs)).sort((a, b) => {
    const at = a.lastAutoAssignedUs ?? -Infinity;
    const bt = b.lastAutoAssignedUs ?? -Infinity;
    return at === bt ? a.position - b.position : at - bt;
  });
}

/**
 * Hands waiting conversations, oldest first, to ranked candidates in turn: each goes to the first in turn
 * who has room and can handle it, who then moves to the back with the conversation's weight added.
 * Answers, per conversation, its assignee or null (nobody able: it keeps waiting).
 */
export function assignInTurn(ranked: Candidate[], needs: Need[], weight = 1): (string | null)[] {
  const queue = ranked.map((c) => ({ ...c }));
  return needs.map((need) => {
    const index = queue.findIndex((c) => hasRoom(c, weight) && canHandle(c, need));
    if (index < 0) return null;
    const [next] = queue.splice(index, 1);
    next.load += weight;
    queue.push(next);
    return next.userId;
  });
}
