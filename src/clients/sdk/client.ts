// The Switchboard client for bots (Node) and agent apps (browser): one socket, typed calls, sends retried with
// the same clientMessageId until acknowledged, messages delivered per conversation in `seq` order with gaps
// filled and resyncs after every reconnect, throttled typing, and the unread and presence state kept current.
import { Emitter } from '@socket.io/component-emitter';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { BreachDto, ConversationDto, MessageDto, NotificationDto, PresenceStatus, QueueDto, SettableStatus } from '../../contract/dto.ts';
import type {
  Ack, AssignmentEvent, ClientToServerEvents, MessageStatusEvent, OutgoingAttachment, SendMessagePayload, ServerToClientEvents,
  SlaAlertEvent, TypingEvent, UnreadEvent,
} from '../../contract/events.ts';
import { isRetryable, SwitchboardError } from './errors.ts';
import { SeqTracker } from './seq-tracker.ts';
import { DEFAULT_TYPING, TypingThrottle, type TypingTiming } from './typing-throttle.ts';

export interface ClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** A person's JWT or a bot's API key. */
  token: string;
  /** How long a call waits for its acknowledgement (default 10 s). */
  ackTimeoutMs?: number;
  /** Send retries: back-off from `baseDelayMs` doubling to `maxDelayMs`, jittered; `maxAttempts` default unlimited. */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  typing?: Partial<TypingTiming>;
  /** Passed to socket.io-client (transports, reconnection delays, …). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export interface SendOptions {
  direction?: 'outbound' | 'internal';
  attachments?: OutgoingAttachment[];
  /** Set it to resend something from an earlier session; generated otherwise. */
  clientMessageId?: string;
  /** A whisper to this user (an internal note only they, supervisors and admins read). */
  whisperTo?: string;
  /** The canned response the text came from (its use is counted). */
  cannedResponseId?: string;
}

export interface SlaAlert extends SlaAlertEvent { level: 'warning' | 'breach' }

export interface ClientEvents {
  /** A message of a joined conversation, once, in `seq` order. */
  message: (message: MessageDto) => void;
  'message:updated': (message: MessageDto) => void;
  'message:status': (event: MessageStatusEvent) => void;
  typing: (event: TypingEvent) => void;
  conversation: (conversation: ConversationDto) => void;
  unread: (event: UnreadEvent) => void;
  presence: (event: { userId: string; status: PresenceStatus }) => void;
  assignment: (event: AssignmentEvent) => void;
  sla: (alert: SlaAlert) => void;
  connected: () => void;
  disconnected: (reason: string) => void;
  /** After a reconnect or a server `resync`, a joined conversation was caught up with what was missed. */
  resynced: (conversationId: string, missed: number) => void;
  /** A new notification of this user, with their unread count. */
  notification: (event: { notification: NotificationDto; unreadCount: number }) => void;
  /** This user was mentioned in an internal note. */
  mention: (event: { conversationId: string; messageId: string; authorId: string | null; unreadMentions: number }) => void;
  /** The live queue changed (supervisors; after `loadQueue`). */
  queue: (queue: QueueDto) => void;
  /** The server can (false) or cannot (true) relay live events between its nodes right now. */
  degraded: (degraded: boolean) => void;
  /** The server said events may have been lost; the client has caught up (conversations, and what it had loaded). */
  resync: (reason: string) => void;
  error: (error: SwitchboardError) => void;
}

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Answer<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer R> ? R : never;

const SYNC_PAGE = 200;

export class SwitchboardClient extends Emitter<ClientEvents, ClientEvents> {
  readonly options: ClientOptions;
  /** Unread messages per conversation, and over the conversations assigned to this user. */
  readonly unread = new Map<string, number>();
  totalUnread = 0;
  /** Presence of the tenant's users as announced since connecting (see `loadPresence`). */
  readonly presence = new Map<string, PresenceStatus>();
  /** Active SLA breaches by `<conversationId>:<kind>` (see `loadBreaches`); live breaches are added. */
  readonly breaches = new Map<string, BreachDto | SlaAlertEvent>();
  /** The live queue (see `loadQueue`), kept current by `queue:updated`. */
  queue: QueueDto | null = null;
  /** True while the server cannot relay live events between its nodes (a `resync` follows). */
  degraded = false;
  /** Who this client is signed in as (the server says so on connect). */
  me: { userId: string; tenantId: string; role: 'admin' | 'supervisor' | 'agent' | 'bot'; name: string } | null = null;

  readonly #socket: AppSocket;
  readonly #joined = new Map<string, SeqTracker>();
  readonly #syncing = new Map<string, Promise<void>>();
  readonly #typing = new Map<string, TypingThrottle>();
  #closed = false;
  #everConnected = false;
  /** What the app asked to load, so that a resync loads it again. */
  readonly #loaded = { presence: false, breaches: false, queue: false };
  /** Per joined conversation, the highest seq whose unread effect is counted (the server counted up to the join's lastSeq). */
  readonly #counted = new Map<string, number>();
  /** Lists being watched (`''`: every list of the tenant), watched again after a reconnect. */
  readonly #watching = new Set<string>();

  constructor(options: ClientOptions) {
    super();
    this.options = options;
    this.#socket = io(options.url, { autoConnect: false, transports: ['websocket'], ...options.socket, auth: { token: options.token } });
    this.#listen();
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** The underlying socket.io-client socket, for what this client does not wrap. */
  get socket(): AppSocket {
    return this.#socket;
  }

  /** Resolves once connected; rejects with `UNAUTHORIZED` (or the handshake's error) if refused. */
  connect(): Promise<void> {
    if (this.#socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = () => { this.#socket.off('connect_error', fail); resolve(); };
      const fail = (err: Error) => {
        if (this.#socket.active) return; // socket.io-client retries by itself
        this.#socket.off('connect', ok);
        reject(new SwitchboardError(err.message === 'UNAUTHORIZED' ? 'UNAUTHORIZED' : 'INTERNAL', err.message));
      };
      this.#socket.once('connect', ok);
      this.#socket.on('connect_error', fail);
      this.#socket.connect();
    });
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#typing.values()) t.stop();
    this.#socket.close();
  }

  /** Joins a conversation and delivers its messages after `fromSeq` (default: what this client already has, else all). */
  async join(conversationId: string, options: { fromSeq?: number } = {}): Promise<{ conversation: ConversationDto; lastSeq: number }> {
    const tracker = this.#joined.get(conversationId) ?? new SeqTracker(options.fromSeq ?? 0);
    this.#joined.set(conversationId, tracker);
    try {
      const answer = await this.#call('conversation:join', { conversationId });
      this.#startCounting(conversationId, answer);
      await this.#resync(conversationId);
      return answer;
    } catch (err) {
      this.#joined.delete(conversationId);
      throw err;
    }
  }

  async leave(conversationId: string): Promise<void> {
    this.#typing.get(conversationId)?.stop();
    this.#typing.delete(conversationId);
    this.#joined.delete(conversationId);
    this.#counted.delete(conversationId);
    await this.#call('conversation:leave', { conversationId });
  }

  /** The `seq` of the last message delivered for a joined conversation. */
  lastSeq(conversationId: string): number | undefined {
    return this.#joined.get(conversationId)?.lastSeq;
  }

  /**
   * Sends a message, retrying with the same clientMessageId through timeouts, disconnects, rate limits and
   * server errors until it is acknowledged: the server stores it once whatever the number of tries.
   */
  async send(conversationId: string, body: string, options: SendOptions = {}): Promise<MessageDto> {
    const payload: SendMessagePayload = {
      conversationId, body, clientMessageId: options.clientMessageId ?? newClientMessageId(),
      ...(options.direction ? { direction: options.direction } : {}),
      ...(options.attachments ? { attachments: options.attachments } : {}),
      ...(options.whisperTo ? { direction: 'internal' as const, whisperTo: options.whisperTo } : {}),
      ...(options.cannedResponseId ? { cannedResponseId: options.cannedResponseId } : {}),
    };
    this.#typing.get(conversationId)?.stop();
    const { baseDelayMs = 250, maxDelayMs = 10_000, maxAttempts = Infinity } = this.options.retry ?? {};
    for (let attempt = 1; ; attempt++) {
      try {
        const { message } = await this.#call('message:send', payload);
        this.#receive(message);
        return message;
      } catch (err) {
        const error = err instanceof SwitchboardError ? err : new SwitchboardError('INTERNAL', String(err));
        if (this.#closed || !isRetryable(error.code) || attempt >= maxAttempts) throw error;
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay / 2));
      }
    }
  }

  /** Marks a conversation read up to `seq` (default: the last delivered message). */
  async markRead(conversationId: string, seq = this.lastSeq(conversationId) ?? 0): Promise<{ unread: number; totalUnread: number; seq: number }> {
    const answer = await this.#call('conversation:read', { conversationId, seq });
    this.#setUnread({ conversationId, ...answer });
    return answer;
  }

  /**
   * Hear changes (the `conversation` event) of every conversation of the tenant (the "All" view), or of one inbox:
   * a bot that serves an inbox watches it to see new conversations.
   */
  async watchConversations(inboxId?: string): Promise<void> {
    this.#watching.add(inboxId ?? '');
    await this.#call('conversations:watch', inboxId ? { inboxId } : {});
  }

  async unwatchConversations(inboxId?: string): Promise<void> {
    this.#watching.delete(inboxId ?? '');
    await this.#call('conversations:unwatch', inboxId ? { inboxId } : {});
  }

  /** Call on every keystroke: `typing: true` goes out at most every `throttleMs`, `false` after `idleMs` of quiet. */
  typing(conversationId: string): void {
    let throttle = this.#typing.get(conversationId);
    if (!throttle) {
      throttle = new TypingThrottle((isTyping) => {
        this.#call('typing', { conversationId, isTyping }).catch((err: SwitchboardError) => this.emit('error', err));
      }, { ...DEFAULT_TYPING, ...this.options.typing });
      this.#typing.set(conversationId, throttle);
    }
    throttle.keystroke();
  }

  stopTyping(conversationId: string): void {
    this.#typing.get(conversationId)?.stop();
  }

  async assign(conversationId: string, assigneeId: string | null, reason?: string): Promise<ConversationDto> {
    return (await this.#call('conversation:assign', { conversationId, assigneeId, ...(reason ? { reason } : {}) })).conversation;
  }

  async setStatus(conversationId: string, status: SettableStatus, snoozedUntil?: string): Promise<ConversationDto> {
    return (await this.#call('conversation:status', { conversationId, status, ...(snoozedUntil ? { snoozedUntil } : {}) })).conversation;
  }

  async setPresence(status: PresenceStatus): Promise<void> {
    await this.#call('presence:set', { status });
  }

  /** An HTTP call with this client's token; answers the JSON body or throws a SwitchboardError. */
  async http<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.options.url), {
      method,
      headers: { authorization: `Bearer ${this.options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw json?.error ? SwitchboardError.from(json.error, res.status) : new SwitchboardError('INTERNAL', `HTTP ${res.status}`, res.status);
    return json as T;
  }

  /** Fills `presence` from `GET /v1/users` (live `presence` events keep it current after that). */
  async loadPresence(): Promise<Map<string, PresenceStatus>> {
    this.#loaded.presence = true;
    const { users } = await this.http<{ users: { id: string; presence: PresenceStatus }[] }>('GET', '/v1/users');
    for (const u of users) this.presence.set(u.id, u.presence);
    return this.presence;
  }

  /** Sets `breaches` to the active ones (`GET /v1/sla/breaches?active=true`); emits `sla` for any not known before. */
  async loadBreaches(): Promise<Map<string, BreachDto | SlaAlertEvent>> {
    this.#loaded.breaches = true;
    const { breaches } = await this.http<{ breaches: BreachDto[] }>('GET', '/v1/sla/breaches?active=true');
    const known = new Set(this.breaches.keys());
    this.breaches.clear();
    for (const b of breaches.reverse()) {
      const key = `${b.conversationId}:${b.kind}`;
      this.breaches.set(key, b);
      if (!known.has(key)) this.emit('sla', { ...b, level: 'breach' });
    }
    return this.breaches;
  }

  /** The live queue (`GET /v1/queue`, supervisors); `queue:updated` keeps it current after that. */
  async loadQueue(): Promise<QueueDto> {
    this.#loaded.queue = true;
    this.#setQueue(await this.http<QueueDto>('GET', '/v1/queue'));
    return this.queue!;
  }

  #listen(): void {
    const s = this.#socket;
    s.on('connect', () => {
      const again = this.#everConnected;
      this.#everConnected = true;
      this.emit('connected');
      // The server forgets conversation rooms with the socket: join them again and catch up from the last seq.
      if (again) for (const id of this.#joined.keys()) void this.#rejoin(id);
      if (again) {
        for (const inboxId of this.#watching) {
          this.#call('conversations:watch', inboxId ? { inboxId } : {}).catch((err: SwitchboardError) => this.emit('error', err));
        }
      }
    });
    s.on('session', (me) => { this.me = me; });
    s.on('session:updated', ({ role }) => { if (this.me) this.me = { ...this.me, role }; });
    s.on('conversations:changed', ({ conversations }) => { for (const c of conversations) this.emit('conversation', c); });
    s.on('disconnect', (reason) => this.emit('disconnected', reason));
    s.on('message:new', ({ message }) => this.#receive(message));
    s.on('message:updated', ({ message }) => this.emit('message:updated', message));
    s.on('message:status', (e) => this.emit('message:status', e));
    s.on('typing', (e) => this.emit('typing', e));
    s.on('conversation:updated', ({ conversation }) => this.emit('conversation', conversation));
    s.on('unread', (e) => this.#setUnread(e));
    s.on('presence', (e) => { this.presence.set(e.userId, e.status); this.emit('presence', e); });
    s.on('assignment', (e) => this.emit('assignment', e));
    s.on('sla:warning', (e) => this.emit('sla', { ...e, level: 'warning' }));
    s.on('sla:breach', (e) => {
      this.breaches.set(`${e.conversationId}:${e.kind}`, e);
      this.emit('sla', { ...e, level: 'breach' });
    });
    s.on('queue:updated', (queue) => this.#setQueue(queue));
    s.on('notification', (e) => this.emit('notification', e));
    s.on('mention', (e) => this.emit('mention', e));
    s.on('server:degraded', ({ degraded }) => {
      this.degraded = degraded;
      this.emit('degraded', degraded);
    });
    s.on('resync', ({ reason }) => { void this.#catchUp(reason); });
  }

  #setQueue(queue: QueueDto): void {
    this.queue = queue;
    this.emit('queue', queue);
  }

  /** After a server `resync`: every joined conversation from its last seq, and what the app had loaded. */
  async #catchUp(reason: string): Promise<void> {
    this.degraded = false;
    const tasks: Promise<unknown>[] = [...this.#joined.keys()].map(async (id) => {
      const before = this.lastSeq(id) ?? 0;
      await this.#resync(id);
      this.emit('resynced', id, (this.lastSeq(id) ?? before) - before);
    });
    if (this.#loaded.presence) tasks.push(this.loadPresence());
    if (this.#loaded.breaches) tasks.push(this.loadBreaches());
    if (this.#loaded.queue) tasks.push(this.loadQueue());
    const failures = (await Promise.allSettled(tasks)).filter((r) => r.status === 'rejected');
    for (const f of failures) {
      const err = (f as PromiseRejectedResult).reason;
      this.emit('error', err instanceof SwitchboardError ? err : new SwitchboardError('INTERNAL', String(err)));
    }
    this.emit('resync', reason);
  }

  async #rejoin(conversationId: string): Promise<void> {
    const before = this.lastSeq(conversationId) ?? 0;
    try {
      this.#startCounting(conversationId, await this.#call('conversation:join', { conversationId }));
      await this.#resync(conversationId);
      this.emit('resynced', conversationId, (this.lastSeq(conversationId) ?? before) - before);
    } catch (err) {
      this.emit('error', err instanceof SwitchboardError ? err : new SwitchboardError('INTERNAL', String(err)));
    }
  }

  #receive(message: MessageDto): void {
    const tracker = this.#joined.get(message.conversationId);
    if (!tracker) return;
    const { deliver, gap } = tracker.receive(message);
    for (const m of deliver) this.#deliver(m);
    if (gap) void this.#resync(message.conversationId).catch((err: SwitchboardError) => this.emit('error', err));
  }

  /** A joined conversation's counts start from what the server counted at the join. */
  #startCounting(conversationId: string, answer: { lastSeq: number; unread: number }): void {
    this.#counted.set(conversationId, answer.lastSeq);
    this.#setUnread({ conversationId, unread: answer.unread, totalUnread: this.totalUnread, seq: answer.lastSeq });
  }

  /** Hands a message to the app, and counts it as unread the way the server would (PROTOCOL: `unread`). */
  #deliver(m: MessageDto): void {
    this.emit('message', m);
    const counted = this.#counted.get(m.conversationId);
    if (counted === undefined || m.seq <= counted || !this.me) return;
    this.#counted.set(m.conversationId, m.seq);
    const mine = m.authorId === this.me.userId;
    const hidden = (m.direction === 'internal' && this.me.role === 'bot') || (m.whisperToId && m.whisperToId !== this.me.userId);
    if (mine || hidden) return;
    this.#setUnread({ conversationId: m.conversationId, unread: (this.unread.get(m.conversationId) ?? 0) + 1, totalUnread: this.totalUnread, seq: m.seq });
  }

  /** Pages `conversation:sync` from the last delivered seq; one at a time per conversation. */
  #resync(conversationId: string): Promise<void> {
    const running = this.#syncing.get(conversationId);
    if (running) return running;
    const run = (async () => {
      for (;;) {
        const tracker = this.#joined.get(conversationId);
        if (!tracker) return;
        const { messages, hasMore } = await this.#call('conversation:sync', { conversationId, afterSeq: tracker.lastSeq, limit: SYNC_PAGE });
        for (const m of tracker.synced(messages, !hasMore)) this.#deliver(m);
        if (!hasMore) return;
      }
    })().finally(() => this.#syncing.delete(conversationId));
    this.#syncing.set(conversationId, run);
    return run;
  }

  /** Counts from the server take in messages up to `seq`: later ones add to them, earlier ones are in them. */
  #setUnread(e: UnreadEvent): void {
    const counted = this.#counted.get(e.conversationId);
    if (counted !== undefined) this.#counted.set(e.conversationId, Math.max(counted, e.seq));
    this.unread.set(e.conversationId, e.unread);
    this.totalUnread = e.totalUnread;
    this.emit('unread', e);
  }

  /** One acknowledged call; waits for a connection first (calls made while offline go out on reconnect). */
  async #call<E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>): Promise<Answer<E>> {
    if (this.#closed) throw new SwitchboardError('CLOSED', 'the client is closed');
    const timeout = this.options.ackTimeoutMs ?? 10_000;
    let answer: Ack<Answer<E>> | null = null;
    try {
      // A connection that drops before the answer loses it: the call goes again once connected (every command
      // is safe to repeat: joins, syncs and reads are idempotent, sends carry their clientMessageId).
      for (let attempt = 0; answer === null; attempt++) {
        answer = await this.#emitOnce<Answer<E>>(event, payload, timeout);
        if (answer === null && (this.#closed || attempt >= MAX_RESENDS)) throw new Error('lost');
      }
    } catch {
      throw this.#closed ? new SwitchboardError('CLOSED', `${event}: the client was closed`) : new SwitchboardError('TIMEOUT', `${event}: no answer within ${timeout} ms`);
    }
    if (!answer.ok) throw SwitchboardError.from(answer.error);
    return answer.data;
  }

  /** One emit and its answer; null when the connection dropped first (socket.io-client buffers an emit made while disconnected). */
  #emitOnce<T>(event: string, payload: unknown, timeout: number): Promise<Ack<T> | null> {
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      const lost = () => resolve(null);
      if (socket.connected) socket.once('disconnect', lost);
      (socket.timeout(timeout) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(event, payload).then(
        (answer) => { socket.off('disconnect', lost); resolve(answer); },
        (err: unknown) => { socket.off('disconnect', lost); reject(err); },
      );
    });
  }
}

/** How often a call goes again after its connection dropped before the answer. */
const MAX_RESENDS = 3;

/** A random id; `crypto.randomUUID` exists only in secure contexts in browsers (not on plain http to a LAN host). */
function newClientMessageId(): string {
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A client, connected. */
export async function connectClient(options: ClientOptions): Promise<SwitchboardClient> {
  const client = new SwitchboardClient(options);
  await client.connect();
  return client;
}
