// Round-robin auto-assignment. An inbox's waiting queue is drained in batches: one transaction locks the
// inbox row (serializing drains of that inbox on every node; FOR NO KEY UPDATE, so creations, whose foreign
// key only share-locks the inbox's key, never wait on a drain), the eligible agents' rows (their load is
// recounted under the lock, so no capacity is overrun) and the oldest waiting conversations, hands those
// out in turn and writes all the assignments at once. On each node, drains of one inbox run one at a
// time and requests that arrive during a drain share the next one, so a burst costs a few transactions.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { Conversation, ConversationAssignment, Inbox } from '../../entities/index.ts';
import { addToTimeline } from '../activities/timeline.ts';
import type { ConversationDto } from '../contract/dto.ts';
import { toConversationDto } from '../conversations/conversation.mapper.ts';
import { sql } from '../db/sql.ts';
import { tenantEm } from '../db/tenant-scope.ts';
import type { EventBus } from '../events/domain-events.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import { lastResolvedIn, weightedLoad, wrapUpEnd } from './load.ts';
import { assignInTurn, rankCandidates, tagList, type Need } from './round-robin.ts';

/** Conversations assigned in one transaction at most. */
const BATCH = 500;

interface MemberRow {
  user_id: string;
  role: 'admin' | 'supervisor' | 'agent' | 'bot';
  active: boolean;
  position: number;
  last_us: string | number | null;
  skills: unknown;
  languages: unknown;
}

/** The inbox's routing settings, read under its row lock. */
interface InboxRouting {
  auto_assign: boolean;
  conversation_weight: number;
  wrap_up_seconds: number;
  skill_fallback_seconds: number;
}

type Assigned = Map<string, ConversationDto>;

export class AutoAssigner {
  readonly #orm: MikroORM;
  readonly #presence: PresenceReader;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  /** Per inbox: the drain not started yet, which new requests join, and the one running. */
  readonly #queued = new Map<string, Promise<Assigned>>();
  readonly #running = new Map<string, Promise<Assigned>>();

  constructor(orm: MikroORM, presence: PresenceReader, bus: EventBus, logger: Logger) {
    this.#orm = orm;
    this.#presence = presence;
    this.#bus = bus;
    this.#logger = logger;
  }

  /** Drains the conversation's inbox; answers the conversation if this drain assigned it. */
  async tryAssign(tenantId: string, conversationId: string, inboxId: string): Promise<ConversationDto | null> {
    return (await this.#drain(tenantId, inboxId)).get(conversationId) ?? null;
  }

  /** Assigns waiting conversations of the inbox, oldest first, while someone can take them. */
  async drainInbox(tenantId: string, inboxId: string): Promise<number> {
    return (await this.#drain(tenantId, inboxId)).size;
  }

  /** The user may have become eligible: drain every auto-assigning inbox they belong to. */
  async drainForUser(tenantId: string, userId: string): Promise<void> {
    const inboxes = await tenantEm(this.#orm, tenantId).find(Inbox, { autoAssign: true, id: { $in: await this.#inboxesOf(tenantId, userId) } }, { fields: ['id'] });
    for (const inbox of inboxes) await this.drainInbox(tenantId, inbox.id);
  }

  /** Error reporting for work started from events. */
  report = (err: unknown): void => {
    this.#logger.error({ err }, 'auto-assignment failed');
  };

  #drain(tenantId: string, inboxId: string): Promise<Assigned> {
    const key = `${tenantId}:${inboxId}`;
    const queued = this.#queued.get(key);
    if (queued) return queued;
    const before = this.#running.get(key);
    const run: Promise<Assigned> = (before ?? Promise.resolve()).catch(() => undefined).then(async () => {
      this.#queued.delete(key);
      this.#running.set(key, run);
      try {
        return await this.#drainNow(tenantId, inboxId);
      } finally {
        if (this.#running.get(key) === run) this.#running.delete(key);
      }
    });
    this.#queued.set(key, run);
    return run;
  }

  async #drainNow(tenantId: string, inboxId: string): Promise<Assigned> {
    const all: Assigned = new Map();
    for (;;) {
      const batch = await this.#assignBatch(tenantId, inboxId);
      for (const [id, dto] of batch.assigned) all.set(id, dto);
      if (!batch.more) return all;
    }
  }

  /** One transaction: hands out up to BATCH waiting conversations. `more`: a full batch went, try again. */
  async #assignBatch(tenantId: string, inboxId: string): Promise<{ assigned: Assigned; more: boolean }> {
    const em = tenantEm(this.#orm, tenantId);
    const now = new Date();
    const result = await em.transactional(async (tx) => {
      const [inbox] = await sql<InboxRouting>(tx, `
        select auto_assign, conversation_weight, wrap_up_seconds, skill_fallback_seconds from inboxes where id = ? and tenant_id = ? for no key update`, [inboxId, tenantId]);
      if (!inbox?.auto_assign) return null;
      const weight = Number(inbox.conversation_weight);
      const ranked = await this.#rankedMembers(tx, tenantId, inboxId, inbox, now);
      if (!ranked.length) return null;
      const waiting = await sql<{ id: string; required_skills: unknown; language: string | null; anyone: boolean }>(tx, `
        select id, required_skills, language, waiting_since <= ?::timestamptz - make_interval(secs => ?) as anyone from conversations
        where inbox_id = ? and tenant_id = ? and waiting_since is not null and assignee_id is null and status in ('open', 'pending')
        order by waiting_since, id limit ? for update`, [now, inbox.skill_fallback_seconds, inboxId, tenantId, BATCH]);
      const needs: Need[] = waiting.map((w) => ({ skills: tagList(w.required_skills), language: w.language, anyone: Boolean(w.anyone) }));
      const picks = assignInTurn(ranked, needs, weight);
      const pairs = picks.flatMap((assigneeId, i) => (assigneeId ? [{ conversationId: waiting[i].id, assigneeId }] : []));
      if (!pairs.length) return null;
      const conversations = await this.#stamp(tx, tenantId, inboxId, pairs, now);
      // Another batch only when this one was full and everything in it went (what nobody could take stays first).
      return { conversations, more: waiting.length === BATCH && pairs.length === BATCH };
    });
    const assigned: Assigned = new Map();
    for (const conversation of result?.conversations ?? []) {
      const dto = toConversationDto(conversation);
      assigned.set(dto.id, dto);
      this.#bus.publish({
        type: 'assignment.changed', tenantId, conversation: dto, assigneeId: dto.assigneeId,
        previousAssigneeId: null, assignmentType: 'auto_round_robin', byUserId: null,
      });
      this.#bus.publish({ type: 'conversation.updated', tenantId, conversation: dto });
    }
    return { assigned, more: result?.more ?? false };
  }

  /** Eligible members, ranked, with their load recounted under their row locks (taken in id order). */
  async #rankedMembers(tx: EntityManager, tenantId: string, inboxId: string, inbox: InboxRouting, now: Date) {
    const members = await sql<MemberRow>(tx, `
      select m.user_id, u.role, u.active, m.position, u.skills, u.languages,
        (extract(epoch from m.last_auto_assigned_at) * 1000000)::bigint as last_us
      from inbox_members m join users u on u.id = m.user_id
      where m.inbox_id = ? and m.tenant_id = ? and u.active and u.role <> 'bot'`, [inboxId, tenantId]);
    if (!members.length) return [];
    const presence = await this.#presence.statusOf(tenantId, members.map((m) => m.user_id));
    const online = members.filter((m) => presence.get(m.user_id) === 'online');
    if (!online.length) return [];
    const loads = await sql<{ id: string; capacity: number | null; load: string | number; last_resolved_at: Date | null }>(tx, `
      select u.id, u.capacity, ${weightedLoad('u.id')} as load, ${lastResolvedIn('u.id', '?')} as last_resolved_at
      from users u where u.id in (${online.map(() => '?').join(', ')}) order by u.id for no key update`, [inboxId, ...online.map((m) => m.user_id)]);
    const locked = new Map(loads.map((l) => [l.id, l]));
    return rankCandidates(online.map((m) => {
      const row = locked.get(m.user_id)!;
      return {
        userId: m.user_id, role: m.role, active: m.active, capacity: row.capacity, position: m.position,
        presence: 'online' as const, load: Number(row.load), skills: tagList(m.skills), languages: tagList(m.languages),
        lastAutoAssignedUs: m.last_us === null ? null : Number(m.last_us),
        wrapUpUntilMs: wrapUpEnd(row.last_resolved_at, inbox.wrap_up_seconds)?.getTime() ?? null,
      };
    }), Number(inbox.conversation_weight), now.getTime());
  }

  /** Writes the assignments: conversations, history rows, timeline, and each agent's last-assigned time in turn order. */
  async #stamp(tx: EntityManager, tenantId: string, inboxId: string, pairs: { conversationId: string; assigneeId: string }[], now: Date): Promise<Conversation[]> {
    const rows = await sql(tx, `
      update conversations c set assignee_id = v.assignee_id::uuid, waiting_since = null, updated_at = ?
      from (values ${pairs.map(() => '(?, ?)').join(', ')}) as v(id, assignee_id)
      where c.id = v.id::uuid and c.tenant_id = ?
      returning c.*`, [now, ...pairs.flatMap((p) => [p.conversationId, p.assigneeId]), tenantId]);
    const conversations = rows.map((row) => tx.map(Conversation, row));
    const byId = new Map(conversations.map((c) => [c.id, c]));
    // Turn order inside the batch: an agent's last assignment in it sets their place for the next round.
    const lastTurn = new Map<string, number>();
    pairs.forEach((p, i) => lastTurn.set(p.assigneeId, i));
    // Materialized: the base is read once, not per updated row (clock_timestamp() moves).
    await sql(tx, `
      with b as materialized (select greatest(clock_timestamp(), max(last_auto_assigned_at) + interval '1 microsecond') as base from inbox_members where inbox_id = ?)
      update inbox_members m set last_auto_assigned_at = b.base + v.turn::int * interval '1 microsecond'
      from (values ${[...lastTurn].map(() => '(?, ?)').join(', ')}) as v(user_id, turn), b
      where m.inbox_id = ? and m.user_id = v.user_id::uuid`, [inboxId, ...[...lastTurn].flat(), inboxId]);
    // An unassignment left an open history row (assignee null) that this assignment closes.
    await sql(tx, `update conversation_assignments set unassigned_at = ? where unassigned_at is null and conversation_id in (${pairs.map(() => '?').join(', ')})`,
      [now, ...pairs.map((p) => p.conversationId)]);
    for (const { conversationId, assigneeId } of pairs) {
      const conversation = byId.get(conversationId)!;
      const history = tx.create(ConversationAssignment, {
        tenant: tenantId, conversation: conversationId, assignee: assigneeId, previousAssignee: null,
        type: 'auto_round_robin', byUser: null, reason: null, assignedAt: now,
      });
      addToTimeline(tx, {
        tenantId, conversation, kind: 'assignment.auto_round_robin', refId: history.id, actorId: null,
        data: { assigneeId, previousAssigneeId: null }, at: now,
      });
    }
    await tx.flush();
    return pairs.map((p) => byId.get(p.conversationId)!);
  }

  async #inboxesOf(tenantId: string, userId: string): Promise<string[]> {
    const rows = await sql<{ inbox_id: string }>(tenantEm(this.#orm, tenantId), 'select inbox_id from inbox_members where user_id = ? and tenant_id = ?', [userId, tenantId]);
    return rows.map((r) => r.inbox_id);
  }
}
