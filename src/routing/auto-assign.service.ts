// Round-robin auto-assignment. An inbox's waiting queue is drained in batches: one transaction locks the
// inbox row (serializing drains of that inbox on every node; FOR NO KEY UPDATE, so creations, whose foreign
// key only share-locks the inbox's key, never wait on a drain), the eligible agents' rows (held until the
// commit, and their load read again by the stamp, so no capacity is overrun) and the oldest waiting
// conversations, hands those out in turn and writes all the assignments at once. On each node, drains of one inbox run one at a
// time and requests that arrive during a drain share the next one, so a burst costs a few transactions.
import { systemClock, type Clock } from '../platform/clock.ts';
import type { MikroORM } from '@mikro-orm/core';
import { Inbox } from '../../entities/index.ts';
import type { ConversationDto } from '../contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../model/conversation.mapper.ts';
import { toNotificationDto, type NotificationRecord } from '../model/notification.mapper.ts';
import { fromJson } from '../platform/db/rows.ts';
import { sql } from '../platform/db/sql.ts';
import type { TenantTransactions, Tx } from '../platform/db/tenant-transaction.ts';
import { tenantEm } from '../platform/db/tenant-scope.ts';
import type { EventBus } from '../platform/events/domain-events.ts';
import type { PresenceReader } from '../platform/presence/presence-reader.ts';
import { LOCK_INBOX, PICK, STAMP, type DrainInbox, type DrainLoad, type DrainMember, type DrainWaiting } from './drain-statements.ts';
import { wrapUpEnd } from './load.ts';
import { assignInTurn, rankCandidates, type Need } from './round-robin.ts';
import { tagList } from '../platform/text/tags.ts';

/** Conversations assigned in one transaction at most. */
const BATCH = 500;
/** Batches of one drain whose stamp may find agents fuller than their pick did before the drain stops trying. */
const MAX_OVERTAKEN = 3;
/** How long a node remembers what its drains assigned (for creations that ask after the drain ended). */
const RECENT_MS = 5_000;

type Assigned = Map<string, ConversationDto>;

export class AutoAssigner {
  readonly #orm: MikroORM;
  readonly #transactions: TenantTransactions;
  readonly #presence: PresenceReader;
  readonly #bus: EventBus;
  /** Per inbox: the drain not started yet, which new requests join, and the one running. */
  readonly #queued = new Map<string, Promise<Assigned>>();
  readonly #running = new Map<string, Promise<Assigned>>();
  /** What this node's drains assigned lately, oldest first, so a creation learns its assignee without reading it back. */
  readonly #recent = new Map<string, { conversation: ConversationDto; at: number }>();
  /** Per inbox: the members its last drain on this node found, whose presence the next drain asks while it waits for the lock. */
  readonly #members = new Map<string, string[]>();

  readonly #clock: Clock;

  constructor(orm: MikroORM, transactions: TenantTransactions, presence: PresenceReader, bus: EventBus, clock: Clock = systemClock) {
    this.#orm = orm;
    this.#transactions = transactions;
    this.#presence = presence;
    this.#bus = bus;
    this.#clock = clock;
  }

  /** Offers a queued conversation to round robin; answers it if a drain of this node assigned it after `queuedAt`. */
  async tryAssign(tenantId: string, conversationId: string, inboxId: string, queuedAt: Date): Promise<ConversationDto | null> {
    // A drain of this node may have taken it already (one that read the queue after it was committed).
    const earlier = this.#assignedSince(conversationId, queuedAt);
    if (earlier) return earlier;
    // The drain running now may see it too: ask it as well as the one this call joins.
    const running = this.#running.get(`${tenantId}:${inboxId}`);
    const mine = await this.#drain(tenantId, inboxId);
    return mine.get(conversationId) ?? (await running?.catch(() => null))?.get(conversationId) ?? this.#assignedSince(conversationId, queuedAt);
  }

  #remember(conversation: ConversationDto, at: number): void {
    this.#recent.delete(conversation.id);
    this.#recent.set(conversation.id, { conversation, at });
    for (const [id, entry] of this.#recent) {
      if (entry.at > at - RECENT_MS) break;
      this.#recent.delete(id);
    }
  }

  /** The conversation as a drain of this node assigned it after it entered the queue. */
  #assignedSince(conversationId: string, queuedAt: Date): ConversationDto | null {
    const entry = this.#recent.get(conversationId);
    return entry && entry.at >= queuedAt.getTime() ? entry.conversation : null;
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
    for (let overtaken = 0; ;) {
      const batch = await this.#assignBatch(tenantId, inboxId);
      for (const [id, dto] of batch.assigned) all.set(id, dto);
      if (batch.overtaken) overtaken++;
      // Overtaken again and again: what is left waits for the next drain (the routing sweep drains waiting work).
      if (!batch.more || overtaken > MAX_OVERTAKEN) return all;
    }
  }

  /**
   * One transaction: hands out up to BATCH waiting conversations. `more`: try again (a full batch went, or the stamp
   * was `overtaken`: an agent had less room than the pick read).
   */
  async #assignBatch(tenantId: string, inboxId: string): Promise<{ assigned: Assigned; more: boolean; overtaken: boolean }> {
    const now = this.#clock.now();
    const result = await this.#transactions(tenantId, async (tx) => {
      // The members' presence is asked of the store while the lock is awaited, for the members the last drain of this
      // inbox found; only members it did not know are asked after.
      const key = `${tenantId}:${inboxId}`;
      const known = this.#members.get(key) ?? [];
      const [[inbox], early] = await Promise.all([
        tx.run<DrainInbox>(LOCK_INBOX, { inbox_id: inboxId, tenant_id: tenantId }),
        this.#presence.statusOf(tenantId, known),
      ]);
      const memberIds = inbox?.members.map((m) => m.user_id) ?? [];
      this.#members.set(key, memberIds);
      if (!inbox?.auto_assign || !inbox.members.length) return null;
      const unknown = memberIds.filter((id) => !early.has(id));
      const presence = unknown.length ? new Map([...early, ...await this.#presence.statusOf(tenantId, unknown)]) : early;
      const online = inbox.members.filter((m) => presence.get(m.user_id) === 'online');
      if (!online.length) return null;
      const [picked] = await tx.run<{ loads: DrainLoad[]; waiting: DrainWaiting[] }>(PICK, {
        tenant_id: tenantId, inbox_id: inboxId, user_ids: JSON.stringify(online.map((m) => m.user_id)), now,
        fallback_seconds: inbox.skill_fallback_seconds, batch: BATCH,
      });
      const weight = Number(inbox.conversation_weight);
      const ranked = rankedMembers(online, picked.loads, inbox, now);
      const needs: Need[] = picked.waiting.map((w) => ({ skills: tagList(w.required_skills), language: w.language, anyone: Boolean(w.anyone), team: w.team_id }));
      const picks = assignInTurn(ranked, needs, weight);
      const pairs = picks.flatMap((assigneeId, i) => (assigneeId ? [{ conversationId: picked.waiting[i].id, assigneeId }] : []));
      if (!pairs.length) return null;
      const { conversations, notifications } = await stamp(tx, tenantId, inboxId, pairs, now);
      // The stamp found an agent fuller than the pick did (another inbox's drain): the next pick reads loads afresh.
      const overtaken = conversations.length < pairs.length;
      // Another batch also when this one was full and everything in it went (what nobody could take stays first).
      return { conversations, notifications, overtaken, more: overtaken || (picked.waiting.length === BATCH && pairs.length === BATCH) };
    });
    const assigned: Assigned = new Map();
    const committedAt = Date.now();
    for (const dto of result?.conversations ?? []) {
      assigned.set(dto.id, dto);
      this.#remember(dto, committedAt);
      this.#bus.publish({
        type: 'assignment.changed', tenantId, conversation: dto, assigneeId: dto.assigneeId,
        previousAssigneeId: null, assignmentType: 'auto_round_robin', byUserId: null,
      });
      this.#bus.publish({ type: 'conversation.updated', tenantId, conversation: dto });
    }
    for (const { userId, unreadCount, unreadMentions, ...record } of result?.notifications ?? []) {
      this.#bus.publish({ type: 'notification.created', tenantId, userId, notification: toNotificationDto(record), unreadCount, unreadMentions });
    }
    return { assigned, more: result?.more ?? false, overtaken: result?.overtaken ?? false };
  }

  async #inboxesOf(tenantId: string, userId: string): Promise<string[]> {
    const rows = await sql<{ inbox_id: string }>(tenantEm(this.#orm, tenantId), 'select inbox_id from inbox_members where user_id = ? and tenant_id = ?', [userId, tenantId]);
    return rows.map((r) => r.inbox_id);
  }
}

/** Online members, ranked, with the load and last resolution read under their row locks. */
function rankedMembers(online: DrainMember[], loads: DrainLoad[], inbox: DrainInbox, now: Date) {
  const locked = new Map(loads.map((l) => [l.id, l]));
  return rankCandidates(online.flatMap((m) => {
    const row = locked.get(m.user_id);
    if (!row) return [];
    return [{
      userId: m.user_id, role: m.role, active: m.active, capacity: row.capacity, position: m.position,
      presence: 'online' as const, load: Number(row.load), skills: tagList(m.skills), languages: tagList(m.languages), teams: m.teams,
      lastAutoAssignedUs: row.last_us === null ? null : Number(row.last_us),
      wrapUpUntilMs: wrapUpEnd(row.last_resolved_at, inbox.wrap_up_seconds)?.getTime() ?? null,
    }];
  }), Number(inbox.conversation_weight), now.getTime());
}

/** The notification the stamp wrote for an assignment, with its person's unread counts. */
type StampedNotification = NotificationRecord & { userId: string; unreadCount: number; unreadMentions: number };

/**
 * Writes the batch's assignments (conversations, turn order, history, timeline, the assignees' notifications) as the
 * transaction's last statement, its commit in the same round trip; answers the conversations in pair order and the
 * notifications.
 */
async function stamp(tx: Tx, tenantId: string, inboxId: string, pairs: { conversationId: string; assigneeId: string }[], now: Date) {
  const rows = await tx.runLast<Record<string, unknown> & { assigned_notification: unknown }>(STAMP, {
    tenant_id: tenantId, inbox_id: inboxId, now,
    pairs: JSON.stringify(pairs.map((p, turn) => ({ conversation_id: p.conversationId, assignee_id: p.assigneeId, turn, history_id: crypto.randomUUID() }))),
  });
  const byId = new Map<string, ConversationDto>();
  const notifications: StampedNotification[] = [];
  for (const { assigned_notification: notification, ...row } of rows) {
    byId.set(row.id as string, toConversationDto(conversationFromRow(row)));
    if (notification) notifications.push(fromJson<StampedNotification>(notification));
  }
  // A pair the stamp left out (its agent was full by then) keeps waiting.
  return { conversations: pairs.flatMap((p) => byId.get(p.conversationId) ?? []), notifications };
}
