// Round-robin auto-assignment: the pick and the stamp in one transaction, serialized per inbox by its row
// lock and per agent by theirs, so that no conversation is assigned twice and no capacity is overrun,
// on one node or many. Conversations nobody can take wait in their inbox's queue, oldest first.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { Conversation, Inbox } from '../../entities/index.ts';
import type { ConversationDto } from '../contract/dto.ts';
import { toConversationDto } from '../conversations/conversation.mapper.ts';
import { sql } from '../db/sql.ts';
import { tenantEm } from '../db/tenant-scope.ts';
import type { EventBus } from '../events/domain-events.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import { recordAssignment } from './history.ts';
import { rankCandidates, type Candidate } from './round-robin.ts';

const ROUTABLE = new Set(['open', 'pending']);

interface MemberRow {
  user_id: string;
  role: Candidate['role'];
  active: boolean;
  capacity: number | null;
  position: number;
  last_us: string | number | null;
  load: string | number;
}

export class AutoAssigner {
  readonly #orm: MikroORM;
  readonly #presence: PresenceReader;
  readonly #bus: EventBus;
  readonly #logger: Logger;

  constructor(orm: MikroORM, presence: PresenceReader, bus: EventBus, logger: Logger) {
    this.#orm = orm;
    this.#presence = presence;
    this.#bus = bus;
    this.#logger = logger;
  }

  /** Assigns the conversation if it waits in an auto-assigning inbox and someone can take it. */
  async tryAssign(tenantId: string, conversationId: string): Promise<ConversationDto | null> {
    const em = tenantEm(this.#orm, tenantId);
    const peek = await em.findOne(Conversation, { id: conversationId }, { fields: ['inbox'] });
    if (!peek) return null;
    const done = await em.transactional(async (tx) => {
      const [inbox] = await sql<{ auto_assign: boolean }>(tx, 'select auto_assign from inboxes where id = ? and tenant_id = ? for update', [peek.inbox, tenantId]);
      if (!inbox?.auto_assign) return null;
      const [c] = await sql<{ assignee_id: string | null; status: string; waiting_since: Date | null }>(tx,
        'select assignee_id, status, waiting_since from conversations where id = ? and tenant_id = ? for update', [conversationId, tenantId]);
      if (!c || c.assignee_id || !c.waiting_since || !ROUTABLE.has(c.status)) return null;
      const pick = await this.#pick(tx, tenantId, peek.inbox);
      if (!pick) return null;
      await sql(tx, `update inbox_members set last_auto_assigned_at = greatest(clock_timestamp(),
          (select max(last_auto_assigned_at) from inbox_members where inbox_id = ?) + interval '1 microsecond')
        where inbox_id = ? and user_id = ?`, [peek.inbox, peek.inbox, pick]);
      const { conversation, previousAssigneeId } = await recordAssignment(tx, {
        conversationId, tenantId, assigneeId: pick, type: 'auto_round_robin', byUserId: null, reason: null,
      }, new Date());
      return { conversation: toConversationDto(conversation), previousAssigneeId };
    });
    if (!done) return null;
    this.#bus.publish({
      type: 'assignment.changed', tenantId, conversation: done.conversation, assigneeId: done.conversation.assigneeId,
      previousAssigneeId: done.previousAssigneeId, assignmentType: 'auto_round_robin', byUserId: null,
    });
    this.#bus.publish({ type: 'conversation.updated', tenantId, conversation: done.conversation });
    return done.conversation;
  }

  /** Assigns waiting conversations of the inbox, oldest first, while someone can take them. */
  async drainInbox(tenantId: string, inboxId: string): Promise<number> {
    const em = tenantEm(this.#orm, tenantId);
    let assigned = 0;
    const tried = new Set<string>();
    for (;;) {
      const next = await em.fork().findOne(Conversation, {
        inbox: inboxId, assignee: null, waitingSince: { $ne: null }, status: { $in: ['open', 'pending'] }, id: { $nin: [...tried] },
      }, { orderBy: { waitingSince: 'asc', id: 'asc' }, fields: ['id'] });
      if (!next) return assigned;
      tried.add(next.id);
      if (!(await this.tryAssign(tenantId, next.id))) {
        // Nobody could take the oldest one; unless another node took it meanwhile, the rest waits too.
        const still = await em.fork().findOne(Conversation, { id: next.id }, { fields: ['assignee'] });
        if (!still?.assignee) return assigned;
      } else {
        assigned++;
      }
    }
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

  async #inboxesOf(tenantId: string, userId: string): Promise<string[]> {
    const rows = await sql<{ inbox_id: string }>(tenantEm(this.#orm, tenantId), 'select inbox_id from inbox_members where user_id = ? and tenant_id = ?', [userId, tenantId]);
    return rows.map((r) => r.inbox_id);
  }

  /** The first ranked member whose load, recounted under their row lock, is still below capacity. */
  async #pick(tx: EntityManager, tenantId: string, inboxId: string): Promise<string | null> {
    const members = await sql<MemberRow>(tx, `
      select m.user_id, u.role, u.active, u.capacity, m.position,
        (extract(epoch from m.last_auto_assigned_at) * 1000000)::bigint as last_us,
        (select count(*) from conversations c where c.assignee_id = u.id and c.status in ('open', 'pending')) as load
      from inbox_members m join users u on u.id = m.user_id
      where m.inbox_id = ? and m.tenant_id = ?`, [inboxId, tenantId]);
    if (!members.length) return null;
    const presence = await this.#presence.statusOf(tenantId, members.map((m) => m.user_id));
    const ranked = rankCandidates(members.map((m) => ({
      userId: m.user_id, role: m.role, active: m.active, capacity: m.capacity, position: m.position,
      presence: presence.get(m.user_id) ?? 'offline', load: Number(m.load),
      lastAutoAssignedUs: m.last_us === null ? null : Number(m.last_us),
    })));
    for (const candidate of ranked) {
      const [row] = await sql<{ capacity: number | null; load: string | number }>(tx, `
        select u.capacity, (select count(*) from conversations c where c.assignee_id = u.id and c.status in ('open', 'pending')) as load
        from users u where u.id = ? for update`, [candidate.userId]);
      if (row.capacity === null || Number(row.load) < row.capacity) return candidate.userId;
    }
    return null;
  }
}
