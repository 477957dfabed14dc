// Socket.IO event maps (documented in docs/realtime.md). Imports only the contract's own types.
import type { ErrorBody } from './error-codes.ts';
import type {
  AssignmentType, AttachmentDto, ConversationDto, NotificationDto, QueueDto, SettableStatus, MessageDto, MessageStatus, MessageType, PresenceStatus, TagDto,
} from './dto.ts';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (answer: Ack<T>) => void;
type Command<P, R> = (payload: P, ack: AckFn<R>) => void;

/** An attachment of a message being sent: a link to the file, with what is known of it. */
export interface OutgoingAttachment {
  type?: AttachmentDto['type'];
  url: string;
  mime?: string | null;
  filename?: string | null;
  size?: number | null;
  width?: number | null;
  height?: number | null;
  duration?: number | null;
  thumbnailUrl?: string | null;
  platformUrl?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** An address with an optional alias; channels may also write it `{handle, name}` like an inbound `from`. */
export type OutgoingAddress = { address: string; alias?: string | null } | { handle: string; name?: string | null };

export interface SendMessagePayload {
  conversationId: string;
  clientMessageId: string;
  body: string;
  /** A subject line (e-mail), the message's type (text by default) and a free object kept as given (≤ 16 KB of JSON). */
  subject?: string | null;
  type?: MessageType;
  metadata?: Record<string, unknown> | null;
  /** HTML as given (email); answered with its sanitized form `htmlBodySafe`. */
  htmlBody?: string;
  direction?: 'outbound' | 'internal';
  attachments?: OutgoingAttachment[];
  recipients?: { to?: OutgoingAddress[]; cc?: OutgoingAddress[]; bcc?: OutgoingAddress[] };
  /** The canned response the text came from; its usage count moves with the send. */
  cannedResponseId?: string | null;
  /** With direction internal: a whisper, for this user only (and supervisors, admins and the author). */
  whisperTo?: string | null;
}

export interface ClientToServerEvents {
  /** `readSeq` and `unread`: the caller's read cursor and unread count at `lastSeq`; later messages it derives (see `unread`). */
  'conversation:join': Command<{ conversationId: string }, { conversation: ConversationDto; lastSeq: number; readSeq: number; unread: number }>;
  'conversation:leave': Command<{ conversationId: string }, Record<string, never>>;
  'message:send': Command<SendMessagePayload, { message: MessageDto }>;
  'typing': Command<{ conversationId: string; isTyping: boolean }, Record<string, never>>;
  /** The answer's `seq`: the conversation's last seq the counts take in. */
  'conversation:read': Command<{ conversationId: string; seq: number }, { unread: number; totalUnread: number; seq: number }>;
  'conversation:sync': Command<{ conversationId: string; afterSeq: number; limit?: number }, { messages: MessageDto[]; hasMore: boolean }>;
  'conversation:assign': Command<{ conversationId: string; assigneeId: string | null; reason?: string }, { conversation: ConversationDto }>;
  'conversation:status': Command<{ conversationId: string; status: SettableStatus; snoozedUntil?: string }, { conversation: ConversationDto }>;
  'presence:set': Command<{ status: PresenceStatus }, Record<string, never>>;
  /** Hear `conversations:changed` for every conversation of the tenant (an "All" list), or of one inbox (`inboxId`). */
  'conversations:watch': Command<{ inboxId?: string }, Record<string, never>>;
  'conversations:unwatch': Command<{ inboxId?: string }, Record<string, never>>;
}

export interface TypingEvent { conversationId: string; userId: string; name: string; isTyping: boolean }
/** `seq`: the conversation's last seq these counts take in (a client adds later messages to them). */
export interface UnreadEvent { conversationId: string; unread: number; totalUnread: number; seq: number }
export interface MessageStatusEvent { conversationId: string; messageId: string; status: MessageStatus; at: string }
export interface AssignmentEvent {
  conversationId: string; assigneeId: string | null; previousAssigneeId: string | null; type: AssignmentType; byUserId: string | null;
}
export interface SlaAlertEvent {
  conversationId: string; kind: 'first_response' | 'next_response' | 'resolution'; dueAt: string; breachedAt?: string;
  assigneeId: string | null; policyId: string | null;
}

export interface ServerToClientEvents {
  'message:new': (payload: { message: MessageDto }) => void;
  /** An internal note pinned or unpinned. */
  'message:updated': (payload: { message: MessageDto }) => void;
  'conversation:tagged': (payload: { conversationId: string; tags: TagDto[] }) => void;
  'conversation:deleted': (payload: { conversationId: string }) => void;
  'message:status': (payload: MessageStatusEvent) => void;
  'typing': (payload: TypingEvent) => void;
  /** A conversation's new state: to the sockets that joined it and to its assignee (a masked thread's: to its whole audience). */
  'conversation:updated': (payload: { conversation: ConversationDto }) => void;
  /**
   * Conversation list changes, batched (at most one packet per window, latest state per conversation): to an
   * inbox's member agents for its conversations, to supervisors and admins, and to sockets that sent `conversations:watch`.
   */
  'conversations:changed': (payload: { conversations: ConversationDto[] }) => void;
  'unread': (payload: UnreadEvent) => void;
  /** A new notification of this user (assigned, mentioned, SLA warning, customer replied) and their unread count. */
  'notification': (payload: { notification: NotificationDto; unreadCount: number }) => void;
  /** This user was mentioned in an internal note; `unreadMentions` counts their unread mentions. */
  'mention': (payload: { conversationId: string; messageId: string; authorId: string | null; unreadMentions: number }) => void;
  'assignment': (payload: AssignmentEvent) => void;
  'presence': (payload: { userId: string; status: PresenceStatus }) => void;
  'sla:warning': (payload: SlaAlertEvent) => void;
  'sla:breach': (payload: SlaAlertEvent) => void;
  /** An outbound webhook endpoint was disabled after repeated failed deliveries (admins). */
  'webhook:disabled': (payload: { webhookId: string; url: string }) => void;
  /**
   * Something this socket should have heard may have been lost (the nodes' Redis was away): catch up from the
   * server without reconnecting, i.e. `conversation:sync` each joined conversation from its last seq, and read
   * again `GET /v1/sla/breaches?active=true`, `GET /v1/queue` and `GET /v1/users` (presence). The SDK does this.
   */
  'resync': (payload: { reason: string }) => void;
  /** While true, live events from other nodes do not arrive (Redis is away); a `resync` follows its end. */
  'server:degraded': (payload: { degraded: boolean; reason: string | null; since: string | null }) => void;
  /** Sent once on connect: who this socket is. */
  'session': (payload: { userId: string; tenantId: string; role: 'admin' | 'supervisor' | 'agent' | 'bot'; name: string }) => void;
  /** This socket's own session changed (its role): rooms and permissions now follow the new role. */
  'session:updated': (payload: { userId: string; role: 'admin' | 'supervisor' | 'agent' | 'bot' }) => void;
  /** The live queue (supervisors and admins): see GET /v1/queue. */
  'queue:updated': (payload: QueueDto) => void;
}

/** Between nodes, through the adapter. */
export interface InterServerEvents {
  /** A user's role changed: their sockets on every node re-read it. */
  'user:changed': (userId: string) => void;
  /** A node's adapter had a gap (Redis away): what it published meanwhile was lost, so every node's clients resync. */
  'adapter:gap': (reason: string) => void;
  /** A tenant's automation rules changed: every node reads them afresh. */
  'automation:changed': (tenantId: string) => void;
}

export interface SocketData {
  tenantId: string;
  userId: string;
  role: 'admin' | 'supervisor' | 'agent' | 'bot';
  kind: 'user' | 'bot';
  name: string;
  keyId?: string;
  /** The inboxes the person was a member of when the socket connected (its list rooms). */
  inboxIds?: string[];
}
