// What a conversation's SLA badge says: breached, a warning with the time left, or the time left.
import type { ConversationDto } from '../sdk/index.ts';
import { untilDue } from './format.ts';

const SOON_MS = 10 * 60_000;
const DONE = new Set(['resolved', 'closed', 'archived']);

export interface SlaBadge { level: 'ok' | 'warning' | 'breached'; text: string; dueAt: string | null }

/** The earliest deadline still running, if any. */
export function nextDue(c: ConversationDto): string | null {
  const s = c.sla;
  const due = [
    c.firstResponseAt ? null : s.firstResponseDueAt,
    s.nextResponseDueAt,
    DONE.has(c.status) ? null : s.resolutionDueAt,
  ].filter((d): d is string => Boolean(d));
  return due.sort()[0] ?? null;
}

/** null: no policy, or nothing running. `warned`: the server already sent a warning for it. */
export function slaBadge(c: ConversationDto, warned: boolean, now = Date.now()): SlaBadge | null {
  const s = c.sla;
  if (!s?.policyId || DONE.has(c.status)) return null;
  if (s.firstResponseBreachedAt || s.nextResponseBreachedAt || s.resolutionBreachedAt) return { level: 'breached', text: 'breached', dueAt: nextDue(c) };
  const due = nextDue(c);
  if (!due) return null;
  const level = warned || Date.parse(due) - now < SOON_MS ? 'warning' : 'ok';
  return { level, text: `due ${untilDue(due, now)}`, dueAt: due };
}
