// socket.io-client helpers: connect with a token, emit with an ack, wait for an event (always with a timeout).
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../src/contract/events.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const TIMEOUT_MS = 5000;

export function connect(url: string, token: string | undefined, options: { extraHeaders?: Record<string, string> } = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { auth: token === undefined ? {} : { token }, transports: ['websocket'], forceNew: true, reconnection: false, ...options });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { socket.close(); reject(new Error('connect timed out')); }, TIMEOUT_MS);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('connect_error', (err) => { clearTimeout(timer); socket.close(); reject(err); });
  });
}

export function request<T = any>(socket: ClientSocket, event: string, payload: unknown): Promise<Ack<T>> {
  return (socket as any).timeout(TIMEOUT_MS).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Resolves with the ack's data; rejects with the error code otherwise. */
export async function ok<T = any>(socket: ClientSocket, event: string, payload: unknown): Promise<T> {
  const answer = await request<T>(socket, event, payload);
  if (!answer.ok) throw new Error(`${event} failed: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
}

export function waitFor<T = any>(socket: ClientSocket, event: string, match: (payload: T) => boolean = () => true, timeoutMs = TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      (socket as any).off(event, handler);
      resolve(payload);
    };
    const timer = setTimeout(() => { (socket as any).off(event, handler); reject(new Error(`no ${event} within ${timeoutMs} ms`)); }, timeoutMs);
    (socket as any).on(event, handler);
  });
}

/** Collects every payload of `event` until stopped. */
export function collect<T = any>(socket: ClientSocket, event: string): { items: T[]; stop(): void } {
  const items: T[] = [];
  const handler = (payload: T) => items.push(payload);
  (socket as any).on(event, handler);
  return { items, stop: () => (socket as any).off(event, handler) };
}

/** A conversation's state as a list or a joined socket hears it (`conversations:changed` batches or `conversation:updated`). */
export function waitForConversation<T = any>(socket: ClientSocket, match: (conversation: T) => boolean, timeoutMs = TIMEOUT_MS): Promise<{ conversation: T }> {
  return new Promise((resolve, reject) => {
    const done = (conversation: T) => {
      clearTimeout(timer);
      (socket as any).off('conversation:updated', one);
      (socket as any).off('conversations:changed', many);
      resolve({ conversation });
    };
    const one = (e: { conversation: T }) => { if (match(e.conversation)) done(e.conversation); };
    const many = (e: { conversations: T[] }) => { const found = e.conversations.find(match); if (found) done(found); };
    const timer = setTimeout(() => {
      (socket as any).off('conversation:updated', one);
      (socket as any).off('conversations:changed', many);
      reject(new Error(`no conversation state within ${timeoutMs} ms`));
    }, timeoutMs);
    (socket as any).on('conversation:updated', one);
    (socket as any).on('conversations:changed', many);
  });
}
