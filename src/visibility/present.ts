// Every read path passes its conversations and messages through here, so a non-participant of a masked
// thread gets the masked form on HTTP, sync, reports and the timeline alike.
import type { EntityManager } from '@mikro-orm/core';
import type { ActivityDto, ConversationDto, MessageDto } from '../contract/dto.ts';
import { fullAccessIds, type Viewer } from './access.ts';
import { isMaskable, maskConversation, maskMessage } from './mask.ts';

export async function presentConversations(em: EntityManager, viewer: Viewer, list: ConversationDto[]): Promise<ConversationDto[]> {
  const maskable = list.filter((c) => isMaskable(c) && c.assigneeId !== viewer.userId);
  if (!maskable.length) return list;
  const full = await fullAccessIds(em, viewer, maskable.map((c) => c.id));
  return list.map((c) => (isMaskable(c) && c.assigneeId !== viewer.userId && !full.has(c.id) ? maskConversation(c) : c));
}

export async function presentConversation(em: EntityManager, viewer: Viewer, c: ConversationDto): Promise<ConversationDto> {
  const [shown] = await presentConversations(em, viewer, [c]);
  return shown;
}

/** Whispers are read by their addressee, their author, supervisors and admins; nobody else gets them at all. */
export function canReadWhisper(viewer: Viewer, m: Pick<MessageDto, 'whisperToId' | 'authorId'>): boolean {
  return !m.whisperToId || m.whisperToId === viewer.userId || m.authorId === viewer.userId || viewer.role === 'admin' || viewer.role === 'supervisor';
}

/** Messages of any threads, each masked unless the viewer sees its thread in full; others' whispers left out. */
export async function presentMessages(em: EntityManager, viewer: Viewer, all: MessageDto[]): Promise<MessageDto[]> {
  const messages = all.filter((m) => canReadWhisper(viewer, m));
  if (!messages.length || viewer.role === 'admin') return messages;
  const full = await fullAccessIds(em, viewer, messages.map((m) => m.conversationId));
  return messages.map((m) => (full.has(m.conversationId) ? m : maskMessage(m)));
}

/** Timeline entries carry messages: mask those like any other read. */
export async function presentActivities(em: EntityManager, viewer: Viewer, all: ActivityDto[]): Promise<ActivityDto[]> {
  const activities = all.filter((a) => !a.message || canReadWhisper(viewer, a.message));
  const shown = new Map((await presentMessages(em, viewer, activities.flatMap((a) => (a.message ? [a.message] : [])))).map((m) => [m.id, m]));
  return activities.map((a) => (a.message ? { ...a, message: shown.get(a.message.id) ?? a.message } : a));
}
