// When conversations enter the waiting queue, and when agents may have become able to take them.
import { systemClock, type Clock } from '../platform/clock.ts';
import type { MikroORM } from '@mikro-orm/core';
import { Conversation, InboxMember } from '../../entities/index.ts';
import { sql } from '../platform/db/sql.ts';
import { tenantEm } from '../platform/db/tenant-scope.ts';
import type { TenantTransactions } from '../platform/db/tenant-transaction.ts';
import type { EventBus } from '../platform/events/domain-events.ts';
import type { PresenceReader } from '../platform/presence/presence-reader.ts';
import { AutoAssigner } from './auto-assign.service.ts';
import { recordAssignment } from './history.ts';
import { weightedLoad } from './load.ts';
import { isEligible } from './round-robin.ts';
import { conversationFromRow, toConversationDto } from '../model/conversation.mapper.ts';
import { statement } from '../platform/db/statement.ts';
import type { Routing } from './routing-port.ts';
import type { ConversationDto, QueueDto } from '../contract/dto.ts';
import { liveQueue } from './queue.ts';

// A creation's conversation as another drain (another node's, the sweep's) assigned it; named, so it is planned
// once per connection (planning the ORM's read cost more than running it).
const ASSIGNED = statement('switchboard_assigned_conversation_v1',
  'select * from conversations where id = :id and tenant_id = :tenant_id and assignee_id is not null');

export class Router implements Routing {
  readonly auto: AutoAssigner;
  readonly #orm: MikroORM;
  readonly #transactions: TenantTransactions;
  readonly #presence: PresenceReader;
  readonly #bus: EventBus;

  readonly #clock: Clock;

  constructor(orm: MikroORM, transactions: TenantTransactions, presence: PresenceReader, bus: EventBus, clock: Clock = systemClock) {
    this.#orm = orm;
    this.#transactions = transactions;
    this.#presence = presence;
    this.#bus = bus;
    this.#clock = clock;
    this.auto = new AutoAssigner(orm, transactions, presence, bus, clock);
  }

  /** An unassigned, open or pending conversation of an auto-assigning inbox joins the queue and is offered at once. */
  async route(tenantId: string, conversationId: string): Promise<ConversationDto | null> {
    const queuedAt = this.#clock.now();
    const queued = await sql(tenantEm(this.#orm, tenantId), `
      update conversations c set waiting_since = coalesce(c.waiting_since, now())
      from inboxes i
      where c.id = ? and c.tenant_id = ? and i.id = c.inbox_id and i.auto_assign
        and c.assignee_id is null and c.status in ('new', 'open', 'pending')
      returning c.inbox_id`, [conversationId, tenantId]);
    if (!queued.length) return null;
    return this.offer(tenantId, conversationId, queued[0].inbox_id as string, queuedAt);
  }

  async offer(tenantId: string, conversationId: string, inboxId: string, queuedAt: Date): Promise<ConversationDto | null> {
    const assigned = await this.auto.tryAssign(tenantId, conversationId, inboxId, queuedAt);
    if (assigned) return assigned;
    // Another drain of the inbox (the routing sweep's, another request's) may have taken it first.
    const [row] = await this.#transactions(tenantId, (tx) => tx.runLast(ASSIGNED, { id: conversationId, tenant_id: tenantId }));
    return row ? toConversationDto(conversationFromRow(row)) : null;
  }

  queue(tenantId: string): Promise<QueueDto> {
    return liveQueue(this.#transactions, this.#presence, tenantId, this.#clock.now());
  }

  drainInbox(tenantId: string, inboxId: string): Promise<number> {
    return this.auto.drainInbox(tenantId, inboxId);
  }

  async capacityFreed(tenantId: string, userId: string): Promise<void> {
    await this.auto.drainForUser(tenantId, userId);
  }

  /** A resolved or snoozed conversation came back: its assignee keeps it only if they could take it now. */
  async reopened(tenantId: string, conversationId: string): Promise<void> {
    const em = tenantEm(this.#orm, tenantId);
    const conversation = await em.findOne(Conversation, { id: conversationId });
    if (!conversation) return;
    if (conversation.assignee && !(await this.#canStillTake(tenantId, conversation))) {
      await this.unassign(tenantId, conversationId, 'assignee unavailable when the conversation reopened');
    }
    await this.route(tenantId, conversationId);
  }

  /** Takes the conversation back from its assignee (history type unassign), into the queue if the inbox routes. */
  async unassign(tenantId: string, conversationId: string, reason: string, byUserId: string | null = null): Promise<void> {
    await this.#takeBack(tenantId, conversationId, null, 'unassign', reason, byUserId);
  }

  /**
   * The routing sweep's move: takes the conversation from `expectedAssigneeId` (only if it is still theirs,
   * so nodes sweeping together move it once), records why, and offers it to round robin. Answers whether it moved.
   */
  async reassign(tenantId: string, conversationId: string, expectedAssigneeId: string, type: 'reassign_offline' | 'reassign_timeout', reason: string): Promise<boolean> {
    if (!(await this.#takeBack(tenantId, conversationId, expectedAssigneeId, type, reason, null))) return false;
    await this.route(tenantId, conversationId);
    return true;
  }

  async #takeBack(tenantId: string, conversationId: string, expectedAssigneeId: string | null, type: 'unassign' | 'reassign_offline' | 'reassign_timeout', reason: string, byUserId: string | null): Promise<boolean> {
    const em = tenantEm(this.#orm, tenantId);
    const result = await em.transactional(async (tx) => {
      const [row] = await sql<{ assignee_id: string | null }>(tx, 'select assignee_id from conversations where id = ? and tenant_id = ? for update', [conversationId, tenantId]);
      if (!row?.assignee_id || (expectedAssigneeId && row.assignee_id !== expectedAssigneeId)) return null;
      return recordAssignment(tx, { conversationId, tenantId, assigneeId: null, type, byUserId, reason }, this.#clock.now());
    });
    if (!result) return false;
    const conversation = toConversationDto(result.conversation);
    this.#bus.publish({
      type: 'assignment.changed', tenantId, conversation, assigneeId: null, previousAssigneeId: result.previousAssigneeId,
      assignmentType: type, byUserId,
    });
    this.#bus.publish({ type: 'conversation.updated', tenantId, conversation });
    return true;
  }

  /** A member left the inbox (or the user was deactivated): their open work goes back through round robin. */
  async releaseWork(tenantId: string, userId: string, inboxId: string | null, byUserId: string | null, reason: string): Promise<void> {
    const em = tenantEm(this.#orm, tenantId);
    const where: Record<string, unknown> = { assignee: userId, status: { $in: ['new', 'open', 'pending', 'snoozed'] } };
    if (inboxId) where.inbox = inboxId;
    const conversations = await em.find(Conversation, where, { fields: ['id'], orderBy: { createdAt: 'asc' } });
    for (const c of conversations) {
      await this.unassign(tenantId, c.id, reason, byUserId);
      await this.route(tenantId, c.id);
    }
  }

  async #canStillTake(tenantId: string, conversation: Conversation): Promise<boolean> {
    const em = tenantEm(this.#orm, tenantId);
    const userId = conversation.assignee!;
    const [user] = await sql<{ role: 'agent'; active: boolean; capacity: number | null; load: string | number; weight: number }>(em, `
      select u.role, u.active, u.capacity, (select conversation_weight from inboxes where id = ?) as weight,
        ${weightedLoad('u', '?')} as load
      from users u where u.id = ? and u.tenant_id = ?`, [conversation.inbox, conversation.id, userId, tenantId]);
    const member = await em.count(InboxMember, { inbox: conversation.inbox, user: userId });
    if (!user || !member) return false;
    const presence = (await this.#presence.statusOf(tenantId, [userId])).get(userId) ?? 'offline';
    return isEligible({ userId, role: user.role, active: user.active, capacity: user.capacity, load: Number(user.load), presence, position: 0, lastAutoAssignedUs: null }, Number(user.weight));
  }
}
