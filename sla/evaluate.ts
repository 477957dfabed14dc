// The pure SLA clocks: given a policy, a conversation's SLA state and the time, what changes, what is
// due next, and which warnings and breaches have come. The engine and the services do the I/O.
import { addBusinessMinutes, businessMinutesBetween, type BusinessHours } from './business-hours.ts';

export type SlaKind = 'first_response' | 'next_response' | 'resolution';
export type Status = 'new' | 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed' | 'archived';

export interface Policy {
  id: string;
  firstResponseMinutes: number;
  nextResponseMinutes: number | null;
  resolutionMinutes: number;
  warnAtPercent: number;
  businessHours: BusinessHours | null;
}

/** The SLA columns of a conversation (null: not running / not happened). */
export interface SlaState {
  status: Status;
  slaCycle: number;
  firstResponseDueAt: Date | null;
  firstResponseWarnAt: Date | null;
  firstResponseBreachedAt: Date | null;
  slaFirstResponseMetAt: Date | null;
  nextResponseDueAt: Date | null;
  nextResponseWarnAt: Date | null;
  nextResponseBreachedAt: Date | null;
  slaNextResponseClock: number;
  resolutionDueAt: Date | null;
  resolutionWarnAt: Date | null;
  resolutionBreachedAt: Date | null;
  slaPausedAt: Date | null;
  slaNextCheckAt: Date | null;
}

export type SlaPatch = Partial<SlaState>;

export interface DueAlert {
  kind: SlaKind;
  type: 'warning' | 'breach';
  dueAt: Date;
  /** Which clock of this kind (unique with the kind and type per conversation). */
  cycle: number;
}

const DONE = new Set<Status>(['resolved', 'closed', 'archived']);
const PAUSED = new Set<Status>(['pending', 'snoozed']);

function clock(policy: Policy, start: Date, minutes: number): { dueAt: Date; warnAt: Date } {
  return {
    dueAt: addBusinessMinutes(start, minutes, policy.businessHours),
    warnAt: addBusinessMinutes(start, (minutes * policy.warnAtPercent) / 100, policy.businessHours),
  };
}

interface Running { kind: SlaKind; dueAt: Date; warnAt: Date; breachedAt: Date | null; cycle: number }

/** Clocks that are running now: started, not met, not paused. */
export function runningClocks(s: SlaState): Running[] {
  const running: Running[] = [];
  if (s.firstResponseDueAt && s.firstResponseWarnAt && !s.slaFirstResponseMetAt && !DONE.has(s.status)) {
    running.push({ kind: 'first_response', dueAt: s.firstResponseDueAt, warnAt: s.firstResponseWarnAt, breachedAt: s.firstResponseBreachedAt, cycle: s.slaCycle });
  }
  if (s.nextResponseDueAt && s.nextResponseWarnAt && !DONE.has(s.status)) {
    running.push({ kind: 'next_response', dueAt: s.nextResponseDueAt, warnAt: s.nextResponseWarnAt, breachedAt: s.nextResponseBreachedAt, cycle: s.slaNextResponseClock });
  }
  if (s.resolutionDueAt && s.resolutionWarnAt && !s.slaPausedAt && !DONE.has(s.status)) {
    running.push({ kind: 'resolution', dueAt: s.resolutionDueAt, warnAt: s.resolutionWarnAt, breachedAt: s.resolutionBreachedAt, cycle: s.slaCycle });
  }
  return running;
}

/** The next instant a warning or breach may fall due; null when no clock runs. */
export function nextCheckAt(s: SlaState, now: Date): Date | null {
  let next: Date | null = null;
  for (const c of runningClocks(s)) {
    if (c.breachedAt) continue;
    const at = now < c.warnAt ? c.warnAt : c.dueAt;
    if (!next || at < next) next = at;
  }
  return next;
}

/** Warnings and breaches that have come by `now`, warnings first. The engine flags each once. */
export function dueAlerts(s: SlaState, now: Date): DueAlert[] {
  const alerts: DueAlert[] = [];
  for (const c of runningClocks(s)) {
    if (c.breachedAt) continue;
    if (now >= c.warnAt) alerts.push({ kind: c.kind, type: 'warning', dueAt: c.dueAt, cycle: c.cycle });
    if (now >= c.dueAt) alerts.push({ kind: c.kind, type: 'breach', dueAt: c.dueAt, cycle: c.cycle });
  }
  return alerts.sort((a, b) => (a.type === b.type ? 0 : a.type === 'warning' ? -1 : 1));
}

function withNextCheck(s: SlaState, patch: SlaPatch, now: Date): SlaPatch {
  return { ...patch, slaNextCheckAt: nextCheckAt({ ...s, ...patch }, now) };
}

/** A new conversation: the resolution clock starts; first response waits for the first inbound message. */
export function atCreation(policy: Policy, now: Date): SlaPatch {
  const resolution = clock(policy, now, policy.resolutionMinutes);
  return { slaCycle: 1, resolutionDueAt: resolution.dueAt, resolutionWarnAt: resolution.warnAt, slaNextCheckAt: resolution.warnAt };
}

/** An inbound message starts the cycle's first-response clock, or else a next-response clock if none runs. */
export function onInbound(policy: Policy, s: SlaState, now: Date): SlaPatch {
  if (!s.firstResponseDueAt && !s.slaFirstResponseMetAt) {
    const fr = clock(policy, now, policy.firstResponseMinutes);
    return withNextCheck(s, { firstResponseDueAt: fr.dueAt, firstResponseWarnAt: fr.warnAt, firstResponseBreachedAt: null }, now);
  }
  if (s.slaFirstResponseMetAt && policy.nextResponseMinutes && !s.nextResponseDueAt) {
    const nr = clock(policy, now, policy.nextResponseMinutes);
    return withNextCheck(s, {
      nextResponseDueAt: nr.dueAt, nextResponseWarnAt: nr.warnAt, nextResponseBreachedAt: null,
      slaNextResponseClock: s.slaNextResponseClock + 1,
    }, now);
  }
  return {};
}

/** A person's outbound reply meets the running first-response or next-response clock. */
export function onHumanReply(s: SlaState, now: Date): SlaPatch {
  if (s.firstResponseDueAt && !s.slaFirstResponseMetAt) return withNextCheck(s, { slaFirstResponseMetAt: now }, now);
  if (s.nextResponseDueAt) return withNextCheck(s, { nextResponseDueAt: null, nextResponseWarnAt: null }, now);
  return {};
}

/** Resolving meets resolution; pending and snoozed pause it; reopening starts a new cycle of every clock. */
export function onStatusChange(policy: Policy, s: SlaState, to: Status, now: Date): SlaPatch {
  const from = s.status;
  if (from === to) return {};
  let patch: SlaPatch = { status: to };
  if (DONE.has(from) && !DONE.has(to)) {
    const resolution = clock(policy, now, policy.resolutionMinutes);
    patch = {
      ...patch, slaCycle: s.slaCycle + 1,
      resolutionDueAt: resolution.dueAt, resolutionWarnAt: resolution.warnAt, resolutionBreachedAt: null,
      firstResponseDueAt: null, firstResponseWarnAt: null, firstResponseBreachedAt: null, slaFirstResponseMetAt: null,
      nextResponseDueAt: null, nextResponseWarnAt: null, nextResponseBreachedAt: null,
      slaPausedAt: PAUSED.has(to) ? now : null,
    };
  } else if (DONE.has(to)) {
    patch.slaPausedAt = null;
  } else if (PAUSED.has(to) && !s.slaPausedAt) {
    patch.slaPausedAt = now;
  } else if (!PAUSED.has(to) && s.slaPausedAt) {
    // Resuming: the deadline moves by the business time spent paused.
    const pausedMs = businessMinutesBetween(s.slaPausedAt, now, policy.businessHours) * 60_000;
    patch.slaPausedAt = null;
    if (s.resolutionDueAt && s.resolutionWarnAt) {
      patch.resolutionDueAt = addBusinessMinutes(s.resolutionDueAt, pausedMs / 60_000, policy.businessHours);
      patch.resolutionWarnAt = addBusinessMinutes(s.resolutionWarnAt, pausedMs / 60_000, policy.businessHours);
    }
  }
  const { status: _status, ...rest } = withNextCheck(s, patch, now);
  return rest;
}
