// conversation:join, :leave, :sync, :read, :status, and typing.
import type { Routing } from '../../src/routing/routing-port.ts';
import { changeStatus, getConversation } from '../../src/core/conversations/conversations.service.ts';
import { toConversationDto } from '../../src/model/conversation.mapper.ts';
import { conversationHistory } from '../../src/core/messages/history.service.ts';
import { follow, readUpTo } from '../../src/core/read-state/read-state.service.ts';
import { hasFullAccess } from '../../src/core/visibility/access.ts';
import { isMaskable } from '../../src/model/mask.ts';
import { handle, type HandleDeps } from '../handle.ts';
import { AppError } from '../../src/platform/errors.ts';
import { Inbox } from '../../entities/index.ts';
import type { EntityManager as HandlerEm } from '@mikro-orm/core';
import { TokenBucket } from '../rate-limit.ts';
import { rooms } from '../rooms.ts';
import type { AppSocket } from '../types.ts';
import type { TypingTracker } from '../typing.ts';

export interface ConversationHandlerDeps extends HandleDeps {
  routing: Routing;
  typing: TypingTracker;
  typingRate: number;
}


async function watchRoom(em: HandlerEm, tenantId: string, inboxId: string | undefined): Promise<string> {
  if (!inboxId) return rooms.list(tenantId);
  if (!(await em.count(Inbox, { id: inboxId }))) throw AppError.notFound('inbox');
  return rooms.inbox(inboxId);
}


const joined = (socket: AppSocket, conversationId: string): boolean =>
  socket.rooms.has(rooms.conversation(conversationId)) || socket.rooms.has(rooms.conversationMasked(conversationId));

export function registerConversationHandlers(deps: ConversationHandlerDeps, socket: AppSocket): void {
  handle(deps, socket, 'conversation:join', async ({ em, principal }, { conversationId }) => {
    const row = await getConversation(em, conversationId);
    const masked = isMaskable(row) && !(await hasFullAccess(em, principal, conversationId));
    // A non-participant of a masked thread hears it in its masked form.
    const [room, other] = masked
      ? [rooms.conversationMasked(conversationId), rooms.conversation(conversationId)]
      : [rooms.conversation(conversationId), rooms.conversationMasked(conversationId)];
    await socket.leave(other);
    await socket.join(room);
    // lastSeq, read seq and unread are read once the socket is in the room: a message committed meanwhile was
    // broadcast before it could hear it, so lastSeq counts it (the client syncs up to it); later ones it hears.
    const { readSeq, unread, lastSeq } = await follow(em, { userId: principal.userId, isBot: principal.kind === 'bot' }, principal.tenantId, conversationId);
    return { conversation: toConversationDto(row), lastSeq, readSeq, unread };
  });

  handle(deps, socket, 'conversation:leave', async ({ em }, { conversationId }) => {
    if (!joined(socket, conversationId)) await getConversation(em, conversationId);
    deps.typing.stopAll(socket, conversationId);
    await socket.leave(rooms.conversation(conversationId));
    await socket.leave(rooms.conversationMasked(conversationId));
    return {};
  });

  handle(deps, socket, 'conversation:sync', (ctx, { conversationId, afterSeq, limit }) => conversationHistory(ctx, conversationId, afterSeq, limit));

  handle(deps, socket, 'conversation:read', (ctx, { conversationId, seq }) => readUpTo(ctx, conversationId, seq));

  handle(deps, socket, 'conversation:status', async (ctx, { conversationId, ...change }) => ({
    conversation: await changeStatus(ctx, deps.routing, conversationId, change),
  }));

  // Watch every conversation list of the tenant, or one inbox's (a bot that serves an inbox, an agent's view of it).
  handle(deps, socket, 'conversations:watch', async ({ em, principal }, { inboxId }) => {
    await socket.join(await watchRoom(em, principal.tenantId, inboxId));
    return {};
  });
  handle(deps, socket, 'conversations:unwatch', async ({ em, principal }, { inboxId }) => {
    await socket.leave(await watchRoom(em, principal.tenantId, inboxId));
    return {};
  });

  const typingLimit = new TokenBucket(deps.typingRate, deps.typingRate * 2);
  // Conversations this socket may type in: joined ones (joining checked the tenant) or checked once here.
  const typable = new Set<string>();
  handle(deps, socket, 'typing', async ({ em }, { conversationId, isTyping }) => {
    if (!typable.has(conversationId) && !joined(socket, conversationId)) {
      await getConversation(em, conversationId);
      typable.add(conversationId);
    }
    deps.typing.set(socket, conversationId, isTyping);
    return {};
  }, typingLimit);
}
