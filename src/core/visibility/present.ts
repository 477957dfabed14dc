// The one step every answer passes on its way out (HTTP replies and socket acks alike): each message and
// conversation in it, however deeply nested (timeline entries, reports, pages), is shown as this reader may
// see it. Services hand back plain DTOs; no route or handler decides visibility, so none can forget it.
import type { EntityManager } from '@mikro-orm/core';
import type { ConversationDto, MessageDto, Role } from '../../contract/dto.ts';
import { fullAccessIds } from './access.ts';
import { isMaskable, maskConversation, maskMessage } from '../../model/mask.ts';

/** Who an answer is for: a person or bot of the tenant, a channel reporting for its inbox, or nobody known. */
export type Reader =
  | { kind: 'user' | 'bot'; userId: string; role: Role }
  | { kind: 'channel'; inboxId: string }
  | { kind: 'nobody' };

export const NOBODY: Reader = { kind: 'nobody' };

// DTOs known to belong to a share_everything thread: shown as they are without asking the database. A copy
// made by spreading is not in the set and is checked like any other (the safe way round).
const shared = new WeakSet<object>();

/** Marks a message of a thread that masks nothing (the caller read the thread's visibility). */
export function markShared<T extends object>(dto: T, visibility: string): T {
  if (!isMaskable({ visibility })) shared.add(dto);
  return dto;
}

// Recognised by shape, not by a tag a copy could lose: anything with a message's or a conversation's fields
// is treated as one.
function isMessage(v: Record<string, unknown>): v is Record<string, unknown> & MessageDto {
  return typeof v.conversationId === 'string' && typeof v.seq === 'number' && 'body' in v && 'direction' in v && 'senderType' in v;
}

function isConversation(v: Record<string, unknown>): v is Record<string, unknown> & ConversationDto {
  return typeof v.inboxId === 'string' && typeof v.visibility === 'string' && 'lastMessagePreview' in v;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);

/** Whispers are read by their addressee, their author, supervisors and admins; nobody else gets them at all. */
export function canReadWhisper(reader: Reader, m: Pick<MessageDto, 'whisperToId' | 'authorId'>): boolean {
  if (!m.whisperToId) return true;
  if (reader.kind !== 'user') return false;
  return m.whisperToId === reader.userId || m.authorId === reader.userId || reader.role === 'admin' || reader.role === 'supervisor';
}

/** Whether the reader gets the message at all (masked or not): notes never reach bots, channels or unknown readers. */
function mayReceive(reader: Reader, m: MessageDto): boolean {
  if (m.direction === 'internal' && reader.kind !== 'user') return false;
  return canReadWhisper(reader, m);
}

/** `mayReceive` as SQL over messages aliased `m` (search, which filters before it reads), for a person or a bot. */
export function receivableCondition(reader: { kind: 'user' | 'bot'; userId: string; role: Role }): { sql: string; params: string[] } {
  if (reader.kind !== 'user') return { sql: `(m.direction <> 'internal' and m.whisper_to_id is null)`, params: [] };
  if (reader.role === 'admin' || reader.role === 'supervisor') return { sql: 'true', params: [] };
  return { sql: '(m.whisper_to_id is null or m.whisper_to_id = ? or m.author_id = ?)', params: [reader.userId, reader.userId] };
}

/** The conversation ids of the payload whose access must be asked of the database. */
function idsToCheck(payload: unknown, out: Set<string>, depth = 0): void {
  if (depth > 8) return;
  if (Array.isArray(payload)) {
    for (const item of payload) idsToCheck(item, out, depth + 1);
    return;
  }
  if (!isRecord(payload)) return;
  if (isMessage(payload)) {
    if (!shared.has(payload)) out.add(payload.conversationId);
    return;
  }
  if (isConversation(payload)) {
    if (isMaskable(payload)) out.add(payload.id);
    return;
  }
  for (const value of Object.values(payload)) idsToCheck(value, out, depth + 1);
}

const DROP = Symbol('drop');

/** A copy of the payload as the reader may see it; untouched parts are shared, never mutated. */
function transform(reader: Reader, full: Set<string>, node: unknown, depth = 0): unknown {
  if (depth > 8) return node;
  if (Array.isArray(node)) {
    let changed = false;
    const out: unknown[] = [];
    for (const item of node) {
      const shown = transform(reader, full, item, depth + 1);
      if (shown !== item) changed = true;
      if (shown !== DROP) out.push(shown);
    }
    return changed ? out : node;
  }
  if (!isRecord(node)) return node;
  if (isMessage(node)) {
    if (!mayReceive(reader, node)) return DROP;
    return shared.has(node) || full.has(node.conversationId) ? node : maskMessage(node);
  }
  if (isConversation(node)) return !isMaskable(node) || full.has(node.id) ? node : maskConversation(node);
  let copy: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(node)) {
    const shown = transform(reader, full, value, depth + 1);
    if (shown === value) continue;
    copy ??= { ...node };
    // A message the reader may not have at all, in a place of its own: nothing stands there.
    copy[key] = shown === DROP ? null : shown;
  }
  return copy ?? node;
}

/** The ids among these that the reader sees in full. */
async function fullFor(em: EntityManager | null, reader: Reader, ids: Set<string>): Promise<Set<string>> {
  if (!ids.size) return ids;
  // A channel delivers its inbox's messages: it has them in full (the route checked the inbox).
  if (reader.kind === 'channel') return ids;
  if (reader.kind === 'nobody' || !em) return new Set();
  return fullAccessIds(em, reader, [...ids]);
}

/** The payload as this reader may see it: masked threads masked, notes and others' whispers left out. */
export async function presentPayload<T>(em: EntityManager | null, reader: Reader, payload: T): Promise<T> {
  if (payload === null || typeof payload !== 'object') return payload;
  if (reader.kind === 'user' && reader.role === 'admin') return payload;
  const ids = new Set<string>();
  idsToCheck(payload, ids);
  const full = await fullFor(em, reader, ids);
  const shown = transform(reader, full, payload);
  return (shown === DROP ? null : shown) as T;
}
