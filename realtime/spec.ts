// The real-time contract in one place, typed against the event maps of src/contract/events.ts (an event
// missing here, or here and not there, fails the type check): each client→server event with the schema
// its handler parses and its acknowledgement's, each server→client event with its payload and who hears it.
// docs/realtime.md is generated from this (npm run docs); a test fails when the two differ.
import { z, type ZodType } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/contract/events.ts';
import {
  breachSchema, conversationSchema, messageSchema, MESSAGE_STATUSES, notificationSchema, PRESENCE, queueSchema, ROLES, tagSchema, ASSIGNMENT_TYPES,
} from '../src/contract/schemas.ts';
import {
  conversationAssignSchema, conversationIdSchema, conversationStatusSchema, presenceSchema, readSchema, sendMessageSchema, syncSchema,
  typingSchema, watchSchema,
} from './schemas.ts';

export interface CommandSpec { summary: string; who: string; payload: ZodType; ack: ZodType }
export interface EventSpec { summary: string; rooms: string; payload: ZodType }

const empty = z.object({}).strict();
const conversationAnswer = z.object({ conversation: conversationSchema }).strict();
const slaAlert = z.object({
  conversationId: z.uuid(), kind: breachSchema.shape.kind, dueAt: z.string(), breachedAt: z.string().optional(),
  assigneeId: z.uuid().nullable(), policyId: z.uuid().nullable(),
}).strict();

export const COMMANDS = {
  'conversation:join': {
    summary: 'Join a conversation\'s room: hear its messages (masked for a non-participant of a masked thread), typing and state. '
      + 'Answers the conversation, its last seq, and the caller\'s read cursor and unread count at that seq.',
    who: 'agent+, bot', payload: conversationIdSchema,
    ack: z.object({ conversation: conversationSchema, lastSeq: z.number().int(), readSeq: z.number().int(), unread: z.number().int() }).strict(),
  },
  'conversation:leave': { summary: 'Leave a conversation\'s room.', who: 'anyone who joined', payload: conversationIdSchema, ack: empty },
  'message:send': {
    summary: 'Send a message (committed before the answer and before anyone hears it). A repeated clientMessageId of the same sender '
      + 'answers the original; another sender\'s is CONFLICT. The sending socket is not sent its own message again.',
    who: 'agent+, bot (into a masked thread: those who may read it)', payload: sendMessageSchema, ack: z.object({ message: messageSchema }).strict(),
  },
  'typing': { summary: 'Typing on or off; the server turns a true off after 6 s without a refresh.', who: 'anyone', payload: typingSchema, ack: empty },
  'conversation:read': {
    summary: 'Move the read cursor forward to seq (never back). Answers the counts and the last seq they take in.',
    who: 'anyone', payload: readSchema, ack: z.object({ unread: z.number().int(), totalUnread: z.number().int(), seq: z.number().int() }).strict(),
  },
  'conversation:sync': {
    summary: 'Messages after afterSeq, ascending (a limit above 500 answers 500 with hasMore). What a client calls after a gap, a reconnect or a resync.',
    who: 'agent+, bot', payload: syncSchema, ack: z.object({ messages: z.array(messageSchema), hasMore: z.boolean() }).strict(),
  },
  'conversation:assign': {
    summary: 'Assign, transfer or unassign (agents: take an unassigned conversation for themselves; bots: hand off with null).',
    who: 'agent+, bot', payload: conversationAssignSchema, ack: conversationAnswer,
  },
  'conversation:status': { summary: 'Change the status (snoozed needs a future snoozedUntil).', who: 'agent+, bot', payload: conversationStatusSchema, ack: conversationAnswer },
  'presence:set': { summary: 'Choose away, busy or offline (online again with online); the choice ends with the last socket.', who: 'people', payload: presenceSchema, ack: empty },
  'conversations:watch': {
    summary: 'Hear conversations:changed for every conversation of the tenant (no inboxId) or of one inbox (a bot serving it).',
    who: 'anyone', payload: watchSchema, ack: empty,
  },
  'conversations:unwatch': { summary: 'Stop watching what conversations:watch started.', who: 'anyone', payload: watchSchema, ack: empty },
} satisfies Record<keyof ClientToServerEvents, CommandSpec>;

export const EVENTS = {
  'message:new': {
    summary: 'A new message, in seq order per conversation. Joined sockets derive their unread count from it.',
    rooms: 'conversation:<id> (masked form in conversation:<id>:masked), user:<assignee>; internal notes skip bots; a whisper goes to its addressee, author and supervisors only',
    payload: z.object({ message: messageSchema }).strict(),
  },
  'message:updated': { summary: 'An internal note pinned or unpinned.', rooms: 'as message:new', payload: z.object({ message: messageSchema }).strict() },
  'conversation:tagged': { summary: 'A conversation\'s tags changed.', rooms: 'tenant:<tid>', payload: z.object({ conversationId: z.uuid(), tags: z.array(tagSchema) }).strict() },
  'conversation:deleted': {
    summary: 'An admin deleted the conversation and its messages: drop it from lists and views.',
    rooms: 'conversation:<id>, conversation:<id>:masked, inbox:<inboxId>, supervisors:<tid> and list:<tid>',
    payload: z.object({ conversationId: z.uuid() }).strict(),
  },
  'message:status': {
    summary: 'A delivery status moved forward.', rooms: 'conversation:<id> and conversation:<id>:masked',
    payload: z.object({ conversationId: z.uuid(), messageId: z.uuid(), status: z.enum(MESSAGE_STATUSES), at: z.string() }).strict(),
  },
  'typing': {
    summary: 'Someone typing in a joined conversation (never stored).', rooms: 'conversation:<id>, not the typing socket',
    payload: z.object({ conversationId: z.uuid(), userId: z.uuid(), name: z.string(), isTyping: z.boolean() }).strict(),
  },
  'conversation:updated': {
    summary: 'A conversation\'s state changed beyond a new message\'s roll-up (status, assignee, SLA, subject…); latest state per 100 ms. '
      + 'A masked thread\'s state goes to its whole audience: in full to participants and admins, masked to the rest.',
    rooms: 'conversation:<id>, user:<assignee>', payload: z.object({ conversation: conversationSchema }).strict(),
  },
  'conversations:changed': {
    summary: 'Conversation lists: the latest state of each conversation that changed, at most one packet per 250 ms per audience.',
    rooms: 'inbox:<id> (the inbox\'s member agents), supervisors:<tid>, list:<tid> (conversations:watch)', payload: z.object({ conversations: z.array(conversationSchema) }).strict(),
  },
  'unread': {
    summary: 'The assignee\'s unread counts for a conversation (and totalUnread over their assigned conversations), latest per 100 ms; seq: the last seq they take in.',
    rooms: 'user:<assignee>', payload: z.object({ conversationId: z.uuid(), unread: z.number().int(), totalUnread: z.number().int(), seq: z.number().int() }).strict(),
  },
  'notification': {
    summary: 'A new notification of this user (assigned to them, mentioned, an SLA warning on their conversation, a customer replied in it), with their unread count.',
    rooms: 'user:<uid>', payload: z.object({ notification: notificationSchema, unreadCount: z.number().int() }).strict(),
  },
  'mention': {
    summary: 'This user was mentioned (@name) in an internal note; unreadMentions counts their unread mentions.',
    rooms: 'user:<uid>', payload: z.object({ conversationId: z.uuid(), messageId: z.uuid(), authorId: z.uuid().nullable(), unreadMentions: z.number().int() }).strict(),
  },
  'assignment': {
    summary: 'A conversation\'s assignee changed (inbox members see it in their lists through conversations:changed).',
    rooms: 'supervisors:<tid>, conversation:<id> and conversation:<id>:masked, list:<tid>, user:<assignee>, user:<previous assignee>',
    payload: z.object({
      conversationId: z.uuid(), assigneeId: z.uuid().nullable(), previousAssigneeId: z.uuid().nullable(), type: z.enum(ASSIGNMENT_TYPES), byUserId: z.uuid().nullable(),
    }).strict(),
  },
  'presence': { summary: 'A person\'s presence changed.', rooms: 'tenant:<tid>', payload: z.object({ userId: z.uuid(), status: z.enum(PRESENCE) }).strict() },
  'sla:warning': { summary: 'An SLA clock passed its warning point.', rooms: 'supervisors:<tid>, user:<assignee>', payload: slaAlert },
  'sla:breach': { summary: 'An SLA clock breached (once, whatever the number of nodes).', rooms: 'supervisors:<tid>, user:<assignee>', payload: slaAlert },
  'webhook:disabled': { summary: 'An outbound webhook endpoint was disabled after repeated failures.', rooms: 'admins:<tid>', payload: z.object({ webhookId: z.uuid(), url: z.string() }).strict() },
  'queue:updated': { summary: 'The live queue (as GET /v1/queue), after changes, at most once per window.', rooms: 'supervisors:<tid>', payload: queueSchema },
  'session': {
    summary: 'Who this socket is (sent once on connect).', rooms: 'the socket',
    payload: z.object({ userId: z.uuid(), tenantId: z.uuid(), role: z.enum(ROLES), name: z.string() }).strict(),
  },
  'session:updated': { summary: 'This socket\'s role changed: rooms and permissions now follow it.', rooms: 'the socket', payload: z.object({ userId: z.uuid(), role: z.enum(ROLES) }).strict() },
  'resync': {
    summary: 'Events may have been lost (Redis was away): sync each joined conversation from its last seq and read again GET /v1/sla/breaches?active=true, '
      + 'GET /v1/queue and GET /v1/users. No reconnect is needed; the SDK does all of it.',
    rooms: 'every socket of every node', payload: z.object({ reason: z.string() }).strict(),
  },
  'server:degraded': {
    summary: 'While degraded is true, live events from other nodes do not arrive (Redis is away); a resync follows its end. Sent on connect during a gap too.',
    rooms: 'every socket of the node', payload: z.object({ degraded: z.boolean(), reason: z.string().nullable(), since: z.string().nullable() }).strict(),
  },
} satisfies Record<keyof ServerToClientEvents, EventSpec>;

/** Rooms the server puts sockets in (clients never join rooms themselves). */
export const ROOMS: [string, string][] = [
  ['tenant:<tid>', 'every socket of the tenant'],
  ['user:<uid>', 'every socket of one user'],
  ['supervisors:<tid>', 'supervisors\' and admins\' sockets'],
  ['admins:<tid>', 'admins\' sockets'],
  ['bots:<tid>', 'bots\' sockets (internal notes skip them)'],
  ['inbox:<id>', 'sockets of the inbox\'s member agents (joined on connect and when made members), and of watchers of that inbox'],
  ['list:<tid>', 'sockets that sent conversations:watch without an inboxId'],
  ['conversation:<id>', 'sockets that joined the conversation and read it in full'],
  ['conversation:<id>:masked', 'sockets that joined a masked thread they are not a participant of'],
];
