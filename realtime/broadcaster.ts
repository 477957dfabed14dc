// Domain events → Socket.IO emits. The only place that knows which room hears what.
import type { Logger } from 'pino';
import type { ConversationDto, MessageDto } from '../src/contract/dto.ts';
import type { DomainEvent, EventBus, EventOf } from '../src/platform/events/domain-events.ts';
import { Coalescer } from './coalesce.ts';
import { KeyedMutex } from '../src/platform/util/keyed-mutex.ts';
import { isMaskable, maskConversation, maskMessage } from '../src/model/mask.ts';
import { ListUpdates } from './list-updates.ts';
import { rooms } from './rooms.ts';
import { WriteCombiner } from './write-combining.ts';
import type { AppServer } from './types.ts';

/** Users (besides admins) who see a masked thread in full. */
export type ParticipantsOf = (tenantId: string, conversationId: string) => Promise<string[]>;

/** How long state events (conversation:updated, unread) of one conversation are coalesced, latest wins. */
export const STATE_WINDOW_MS = 100;

export function startBroadcaster(io: AppServer, bus: EventBus, participants: ParticipantsOf, logger: Logger): () => void {
  // Masked threads' updates wait for a participants query; one thread's updates still go out in order.
  const maskedUpdates = new KeyedMutex();
  const combiner = new WriteCombiner(io);

  /** Those who hear a thread in full wherever it is not masked: the sockets that joined it, and its assignee's. */
  const fullTargets = (conversation: ConversationDto) =>
    [rooms.conversation(conversation.id), ...(conversation.assigneeId ? [rooms.user(conversation.assigneeId)] : [])];

  /**
   * Participants joined the full room, others the masked one (conversation:join); internal notes never reach bots.
   * `grouped`: one of several messages of the thread that one commit published; its sockets get them in one write.
   */
  function emitMessage(event: 'message:new' | 'message:updated', tenantId: string, conversation: ConversationDto, message: MessageDto, origin?: string, grouped = false): void {
    const skip = origin ? [origin] : [];
    if (message.whisperToId) {
      // A whisper reaches its addressee, its author and supervisors (admins among them), wherever they are.
      const whisperTargets = [rooms.user(message.whisperToId), rooms.supervisors(tenantId), ...(message.authorId ? [rooms.user(message.authorId)] : [])];
      io.to(whisperTargets).except([rooms.bots(tenantId), ...skip]).emit(event, { message });
      return;
    }
    const targets = fullTargets(conversation);
    if (grouped) combiner.hold([...targets, rooms.conversationMasked(conversation.id)]);
    const internal = message.direction === 'internal';
    io.to(targets).except(internal ? [rooms.bots(tenantId), ...skip] : skip).emit(event, { message });
    if (!isMaskable(conversation)) return;
    const masked = io.to(rooms.conversationMasked(conversation.id)).except(
      [...(conversation.assigneeId ? [rooms.user(conversation.assigneeId)] : []), ...(internal ? [rooms.bots(tenantId)] : []), ...skip]);
    masked.emit(event, { message: maskMessage(message) });
  }

  /**
   * A conversation's new state: in full to the sockets that joined it and to its assignee, and to list
   * audiences in the next batch (list-updates.ts). A masked thread's state goes out at once instead: in full
   * to admins and participants, masked to the rest of its audience (one participants query each).
   */
  function emitConversation(tenantId: string, conversation: ConversationDto, rollUpOnly: boolean): void {
    if (!isMaskable(conversation)) {
      // A new message's roll-up alone reaches joined sockets as `message:new`; lists hear it in their batch.
      if (!rollUpOnly) {
        io.to(fullTargets(conversation)).emit('conversation:updated', { conversation });
      }
      lists.add(tenantId, conversation);
      return;
    }
    void maskedUpdates.run(conversation.id, async () => {
      // Who reads in full is decided by participation as committed, not by the room a socket is in: a socket
      // whose user just stopped being a participant may not have been moved to the masked room yet.
      const full = [rooms.admins(tenantId), ...(await participants(tenantId, conversation.id)).map(rooms.user)];
      io.to(full).emit('conversation:updated', { conversation });
      const audience = [
        rooms.conversation(conversation.id), rooms.conversationMasked(conversation.id), rooms.inbox(conversation.inboxId), rooms.supervisors(tenantId), rooms.list(tenantId),
      ];
      io.to(audience).except(full).emit('conversation:updated', { conversation: maskConversation(conversation) });
    }).catch((err: unknown) => logger.error({ err, tenantId, conversationId: conversation.id }, 'broadcasting a masked conversation failed'));
  }

  /**
   * Moves the user's sockets that joined the thread between its full and masked rooms, on every node: this node's at
   * once (before any broadcast that follows the event), the other nodes' through the adapter.
   */
  async function moveAccess(conversationId: string, userId: string, full: boolean): Promise<void> {
    const from = full ? rooms.conversationMasked(conversationId) : rooms.conversation(conversationId);
    const to = full ? rooms.conversation(conversationId) : rooms.conversationMasked(conversationId);
    const move = (socket: { data: { userId?: string }; leave(room: string): unknown; join(room: string): unknown } | undefined) => {
      if (socket?.data.userId !== userId) return;
      socket.leave(from);
      socket.join(to);
    };
    const namespace = io.of('/');
    for (const id of [...namespace.adapter.rooms.get(from) ?? []]) move(namespace.sockets.get(id));
    // This node's sockets of the user have left `from` by now; the fetch adds the other nodes'.
    for (const socket of await io.in(from).fetchSockets()) move(socket);
  }

  const lists = new ListUpdates(io);
  const conversations = new Coalescer<EventOf<'conversation.updated'>>(STATE_WINDOW_MS, (e) => emitConversation(e.tenantId, e.conversation, e.rollUpOnly === true),
    // The latest state wins, but a state change waiting in the window is still one when a roll-up follows it.
    (pending, next) => ({ ...next, rollUpOnly: pending.rollUpOnly === true && next.rollUpOnly === true }));
  const unread = new Coalescer<EventOf<'unread.changed'>>(STATE_WINDOW_MS, (e) => {
    io.to(rooms.user(e.userId)).emit('unread', { conversationId: e.conversationId, unread: e.unread, totalUnread: e.totalUnread, seq: e.seq });
  });

  const unsubscribe = bus.subscribe((event: DomainEvent) => {
    switch (event.type) {
      case 'message.created':
        emitMessage('message:new', event.tenantId, event.conversation, event.message, event.origin, (event.groupSize ?? 1) > 1);
        break;
      case 'message.updated':
        emitMessage('message:updated', event.tenantId, event.conversation, event.message);
        break;
      case 'conversation.updated':
        conversations.push(event.conversation.id, event);
        break;
      case 'conversation.tagged':
        io.to(rooms.tenant(event.tenantId)).emit('conversation:tagged', { conversationId: event.conversationId, tags: event.tags });
        break;
      case 'conversation.deleted':
        io.to([
          rooms.conversation(event.conversationId), rooms.conversationMasked(event.conversationId), rooms.inbox(event.inboxId),
          rooms.supervisors(event.tenantId), rooms.list(event.tenantId),
        ]).emit('conversation:deleted', { conversationId: event.conversationId });
        break;
      case 'inbox.members':
        // Member agents' sockets (on every node) see the inbox's conversations in their lists from now on.
        for (const userId of event.added) io.in(rooms.user(userId)).socketsJoin(rooms.inbox(event.inboxId));
        break;
      case 'access.changed':
        moveAccess(event.conversationId, event.userId, event.full)
          .catch((err: unknown) => logger.error({ err, tenantId: event.tenantId }, 'moving sockets between thread rooms failed'));
        break;
      case 'message.status':
        io.to([rooms.conversation(event.conversationId), rooms.conversationMasked(event.conversationId)]).emit('message:status', {
          conversationId: event.conversationId, messageId: event.messageId, status: event.status, at: event.at,
        });
        break;
      case 'presence.changed':
        io.to(rooms.tenant(event.tenantId)).emit('presence', { userId: event.userId, status: event.status });
        break;
      case 'assignment.changed': {
        // Those who follow routing or this conversation, not the whole tenant: inbox members' lists learn the new
        // assignee from `conversations:changed`, batched, so an assignment costs the same in a tenant of any size.
        const targets = [rooms.supervisors(event.tenantId), rooms.conversation(event.conversation.id), rooms.conversationMasked(event.conversation.id), rooms.list(event.tenantId)];
        for (const id of [event.assigneeId, event.previousAssigneeId]) if (id) targets.push(rooms.user(id));
        io.to(targets).emit('assignment', {
          conversationId: event.conversation.id, assigneeId: event.assigneeId, previousAssigneeId: event.previousAssigneeId,
          type: event.assignmentType, byUserId: event.byUserId,
        });
        break;
      }
      case 'sla.alert': {
        const targets = [rooms.supervisors(event.tenantId)];
        if (event.assigneeId) targets.push(rooms.user(event.assigneeId));
        const payload = {
          conversationId: event.conversationId, kind: event.kind, dueAt: event.dueAt, assigneeId: event.assigneeId, policyId: event.policyId,
          ...(event.breachedAt ? { breachedAt: event.breachedAt } : {}),
        };
        io.to(targets).emit(event.alert === 'breach' ? 'sla:breach' : 'sla:warning', payload);
        break;
      }
      case 'webhook.disabled':
        io.to(rooms.admins(event.tenantId)).emit('webhook:disabled', { webhookId: event.webhookId, url: event.url });
        break;
      case 'queue.updated':
        io.to(rooms.supervisors(event.tenantId)).emit('queue:updated', event.queue);
        break;
      case 'unread.changed':
        unread.push(`${event.userId}:${event.conversationId}`, event);
        break;
      case 'notification.created': {
        const to = io.to(rooms.user(event.userId));
        to.emit('notification', { notification: event.notification, unreadCount: event.unreadCount });
        const n = event.notification;
        if (n.kind === 'mention' && n.messageId) {
          to.emit('mention', { conversationId: n.conversationId, messageId: n.messageId, authorId: n.actorId, unreadMentions: event.unreadMentions });
        }
        break;
      }
    }
  });
  return () => {
    unsubscribe();
    conversations.flush();
    lists.flush();
    unread.flush();
  };
}
