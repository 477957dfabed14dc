// message:send: the same send path as POST /v1/conversations/:id/messages.
import type { EventBus } from '../../src/events/domain-events.ts';
import { sendMessageSchema } from '../../src/messages/messages.schemas.ts';
import { messageFrom, sendMessage } from '../../src/messages/send.service.ts';
import { handle, type HandleDeps } from '../handle.ts';
import { TokenBucket } from '../rate-limit.ts';
import type { AppSocket } from '../types.ts';

export interface MessageHandlerDeps extends HandleDeps {
  bus: EventBus;
  maxMessageBytes: number;
  sendRate: number;
}

export function registerMessageHandlers(deps: MessageHandlerDeps, socket: AppSocket): void {
  const limits = { maxMessageBytes: deps.maxMessageBytes };
  const sendLimit = new TokenBucket(deps.sendRate, deps.sendRate * 3);
  handle(deps, socket, 'message:send', sendMessageSchema, async ({ em, principal }, input) => {
    const { message } = await sendMessage(em, deps.bus, limits, messageFrom(principal, input.conversationId, input));
    return { message };
  }, sendLimit);
}
