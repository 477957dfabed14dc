// The bridge between conversation rows and the pure clocks of evaluate.ts: load the policy, read the
// state, apply a patch. Policies cannot be edited once created, so they are cached by id.
import type { EntityManager } from '@mikro-orm/core';
import { SlaPolicy, type Conversation } from '../entities/index.ts';
import type { BusinessHours } from './business-hours.ts';
import { statement } from '../src/platform/db/statement.ts';
import type { Tx } from '../src/platform/db/tx.ts';
import type { Policy, SlaPatch, SlaState, Status } from './evaluate.ts';
import { onHumanReply, onInbound, onStatusChange } from './evaluate.ts';

const cache = new Map<string, Policy>();
const CACHE_LIMIT = 10_000;

/** A policy's columns as the entity or a statement's JSON gives them (numbers may come as strings). */
export interface PolicyRow {
  id: string;
  firstResponseMinutes: number | string;
  nextResponseMinutes?: number | string | null;
  resolutionMinutes: number | string;
  warnAtPercent: number | string;
  businessHours?: unknown;
}

/** The cached policy, else the one `read` finds (then cached). */
async function policyById(id: string | null | undefined, read: (id: string) => Promise<PolicyRow | null | undefined>): Promise<Policy | null> {
  if (!id) return null;
  const hit = cache.get(id);
  if (hit) return hit;
  const row = await read(id);
  return row ? cachedPolicy(row) : null;
}

export function loadPolicy(em: EntityManager, id: string | null | undefined): Promise<Policy | null> {
  return policyById(id, (policyId) => em.findOne(SlaPolicy, { id: policyId }, { filters: false }));
}

const POLICY = statement('switchboard_sla_policy_v1', `
  select id, first_response_minutes as "firstResponseMinutes", next_response_minutes as "nextResponseMinutes",
    resolution_minutes as "resolutionMinutes", warn_at_percent as "warnAtPercent", business_hours as "businessHours"
  from sla_policies where id = :id`);

/**
 * The policy, read in the caller's transaction when not cached. Work inside a short transaction must read through it:
 * on the embedded database the transaction holds the one session, and a read through another fork waits for it to end.
 */
export function loadPolicyIn(tx: Tx, id: string | null | undefined): Promise<Policy | null> {
  return policyById(id, async (policyId) => (await tx.run<PolicyRow>(POLICY, { id: policyId }))[0]);
}

/** The policy of a row read elsewhere (camelCase, as the entity or a statement's JSON gives it), cached by id. */
export function cachedPolicy(row: PolicyRow): Policy {
  const hit = cache.get(row.id);
  if (hit) return hit;
  const policy: Policy = {
    id: row.id,
    firstResponseMinutes: Number(row.firstResponseMinutes),
    nextResponseMinutes: row.nextResponseMinutes == null ? null : Number(row.nextResponseMinutes),
    resolutionMinutes: Number(row.resolutionMinutes),
    warnAtPercent: Number(row.warnAtPercent),
    businessHours: (row.businessHours ?? null) as BusinessHours | null,
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(row.id, policy);
  return policy;
}

/** Raw SQL rows may carry timestamps as strings; the clocks compare Dates. */
const asDate = (value: Date | string | null | undefined): Date | null => (value == null ? null : new Date(value));

export function stateOf(c: Pick<Conversation, keyof SlaState | 'slaPolicy'>): SlaState {
  return {
    status: c.status as Status,
    slaCycle: c.slaCycle,
    firstResponseDueAt: asDate(c.firstResponseDueAt),
    firstResponseWarnAt: asDate(c.firstResponseWarnAt),
    firstResponseBreachedAt: asDate(c.firstResponseBreachedAt),
    slaFirstResponseMetAt: asDate(c.slaFirstResponseMetAt),
    nextResponseDueAt: asDate(c.nextResponseDueAt),
    nextResponseWarnAt: asDate(c.nextResponseWarnAt),
    nextResponseBreachedAt: asDate(c.nextResponseBreachedAt),
    slaNextResponseClock: c.slaNextResponseClock,
    resolutionDueAt: asDate(c.resolutionDueAt),
    resolutionWarnAt: asDate(c.resolutionWarnAt),
    resolutionBreachedAt: asDate(c.resolutionBreachedAt),
    slaPausedAt: asDate(c.slaPausedAt),
    slaNextCheckAt: asDate(c.slaNextCheckAt),
  };
}

/** Copies the patch onto the (managed) conversation; the caller's flush writes it. */
export function applyPatch(c: Conversation, patch: SlaPatch): void {
  const { status: _ignored, ...columns } = patch;
  Object.assign(c, columns);
}

/** What a message does to the clocks: an inbound one may start one, a person's outbound reply meets one. */
export function messagePatch(policy: Policy, c: Conversation, message: { direction: string; senderType: string }, now: Date): SlaPatch {
  if (message.direction === 'inbound') return onInbound(policy, stateOf(c), now);
  if (message.direction === 'outbound' && message.senderType === 'user') return onHumanReply(stateOf(c), now);
  return {};
}

/** What a status change does to the clocks; `c` still has the old status. */
export function statusPatch(policy: Policy, c: Conversation, to: Status, now: Date): SlaPatch {
  return onStatusChange(policy, stateOf(c), to, now);
}
