// Aggregate reports: message volume by channel and direction, response and resolution time percentiles,
// SLA attainment per policy. One query each, over a window of the last N days.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Channel } from '../../contract/dto.ts';
import { sql } from '../../platform/db/sql.ts';

export const windowQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict();

const DAY_MS = 86_400_000;
export const windowStart = (days: number, now = new Date()): Date => new Date(now.getTime() - days * DAY_MS);

const num = (v: unknown): number => Number(v);
/** Seconds to the millisecond: interpolation leaves floating-point noise below that. */
const seconds = (v: unknown): number | null => (v == null ? null : Math.round(Number(v) * 1000) / 1000);

/** One channel's messages in the window, by direction. */
export interface VolumeRow { channel: Channel; inbound: number; outbound: number; internal: number; total: number }

/**
 * Volume by channel and direction: one row per channel with its inbound, outbound and internal messages
 * and their total, most first. Parameters: tenant, the window's start.
 */
export const messageVolumeSql = `
  select i.channel,
    count(*) filter (where m.direction = 'inbound') as inbound,
    count(*) filter (where m.direction = 'outbound') as outbound,
    count(*) filter (where m.direction = 'internal') as internal,
    count(*) as total
  from messages m join inboxes i on i.id = m.inbox_id
  where m.tenant_id = ? and m.sent_at >= ?
  group by i.channel order by count(*) desc, i.channel`;

export async function messageVolume(em: EntityManager, tenantId: string, since: Date): Promise<VolumeRow[]> {
  const rows = await sql<{ channel: Channel; inbound: unknown; outbound: unknown; internal: unknown; total: unknown }>(em, messageVolumeSql, [tenantId, since]);
  return rows.map((r) => ({ channel: r.channel, inbound: num(r.inbound), outbound: num(r.outbound), internal: num(r.internal), total: num(r.total) }));
}

export interface Percentiles { count: number; p50: number | null; p90: number | null }
export interface ResponseTimesRow { id: string; conversations: number; firstResponse: Percentiles; resolution: Percentiles }

/**
 * Over conversations created in the window, in seconds from creation: first human response and
 * resolution, p50 and p90 (continuous percentiles, linearly interpolated), per inbox, per assignee and per team.
 */
export async function responseTimes(em: EntityManager, tenantId: string, since: Date): Promise<{ byInbox: ResponseTimesRow[]; byAgent: ResponseTimesRow[]; byTeam: ResponseTimesRow[] }> {
  const rows = await sql<Record<string, unknown>>(em, `
    with base as (
      select inbox_id, assignee_id, team_id,
        extract(epoch from first_response_at - created_at) as frt,
        extract(epoch from resolved_at - created_at) as rt
      from conversations where tenant_id = ? and created_at >= ?
    ), stats as (
      select 'inbox' as dimension, inbox_id as id, count(*) as n,
        count(frt) as frt_n, percentile_cont(0.5) within group (order by frt) as frt_p50, percentile_cont(0.9) within group (order by frt) as frt_p90,
        count(rt) as rt_n, percentile_cont(0.5) within group (order by rt) as rt_p50, percentile_cont(0.9) within group (order by rt) as rt_p90
      from base group by inbox_id
      union all
      select 'agent', assignee_id, count(*),
        count(frt), percentile_cont(0.5) within group (order by frt), percentile_cont(0.9) within group (order by frt),
        count(rt), percentile_cont(0.5) within group (order by rt), percentile_cont(0.9) within group (order by rt)
      from base where assignee_id is not null group by assignee_id
      union all
      select 'team', team_id, count(*),
        count(frt), percentile_cont(0.5) within group (order by frt), percentile_cont(0.9) within group (order by frt),
        count(rt), percentile_cont(0.5) within group (order by rt), percentile_cont(0.9) within group (order by rt)
      from base where team_id is not null group by team_id
    )
    select * from stats order by dimension, id`, [tenantId, since]);
  const shape = (r: Record<string, unknown>): ResponseTimesRow => ({
    id: r.id as string,
    conversations: num(r.n),
    firstResponse: { count: num(r.frt_n), p50: seconds(r.frt_p50), p90: seconds(r.frt_p90) },
    resolution: { count: num(r.rt_n), p50: seconds(r.rt_p50), p90: seconds(r.rt_p90) },
  });
  return {
    byInbox: rows.filter((r) => r.dimension === 'inbox').map(shape),
    byAgent: rows.filter((r) => r.dimension === 'agent').map(shape),
    byTeam: rows.filter((r) => r.dimension === 'team').map(shape),
  };
}

export interface Attainment { met: number; breached: number; pending: number; attainment: number | null }
export interface SlaAttainmentRow {
  policyId: string;
  name: string;
  conversations: number;
  firstResponse: Attainment;
  resolution: Attainment;
  nextResponseBreaches: number;
}

const attainment = (met: number, breached: number, total: number): Attainment =>
  ({ met, breached, pending: total - met - breached, attainment: met + breached ? met / (met + breached) : null });

/**
 * Per policy, over conversations created in the window: a target is met when done before a breach,
 * breached when its breach was recorded, pending otherwise; attainment = met / (met + breached).
 */
export async function slaAttainment(em: EntityManager, tenantId: string, since: Date): Promise<SlaAttainmentRow[]> {
  const rows = await sql<Record<string, unknown>>(em, `
    select p.id, p.name, count(*) as n,
      count(*) filter (where c.first_response_at is not null and c.first_response_breached_at is null) as fr_met,
      count(*) filter (where c.first_response_breached_at is not null) as fr_breached,
      count(*) filter (where c.resolved_at is not null and c.resolution_breached_at is null) as res_met,
      count(*) filter (where c.resolution_breached_at is not null) as res_breached,
      (select count(*) from sla_events e join conversations ec on ec.id = e.conversation_id
        where e.tenant_id = p.tenant_id and e.policy_id = p.id and e.kind = 'next_response' and e.type = 'breach'
          and ec.created_at >= ?) as nr_breaches
    from conversations c join sla_policies p on p.id = c.sla_policy_id
    where c.tenant_id = ? and c.created_at >= ?
    group by p.id, p.name, p.tenant_id order by p.name, p.id`, [since, tenantId, since]);
  return rows.map((r) => {
    const total = num(r.n);
    return {
      policyId: r.id as string, name: r.name as string, conversations: total,
      firstResponse: attainment(num(r.fr_met), num(r.fr_breached), total),
      resolution: attainment(num(r.res_met), num(r.res_breached), total),
      nextResponseBreaches: num(r.nr_breaches),
    };
  });
}
