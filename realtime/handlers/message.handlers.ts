// message:send: the same send path as POST /v1/conversations/:id/messages.
import { messageFrom } from '../../src/core/messages/new-message.ts';
import type { MessageSender } from '../../src/core/messages/send.service.ts';
import { handle, type HandleDeps } from '../handle.ts';
import { TokenBucket } from '../rate-limit.ts';
import type { AppSocket } from '../types.ts';

export interface MessageHandlerDeps extends HandleDeps {
  messages: MessageSender;
  sendRate: number;
}

export function registerMessageHandlers(deps: MessageHandlerDeps, socket: AppSocket): void {
  const sendLimit = new TokenBucket(deps.sendRate, deps.sendRate * 3);
  handle(deps, socket, 'message:send', async ({ em, principal }, input) => {
    // The sending socket has the message in this answer: the broadcast skips it.
    const { message } = await deps.messages.send(em, { ...messageFrom(principal, input.conversationId, input), origin: socket.id });
    return { message };
  }, sendLimit);
}
