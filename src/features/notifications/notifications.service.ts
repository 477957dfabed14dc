// Each person's notifications, read and marked read by them, and their preferences; notification-writer.ts writes
// them when something concerns them (unless they muted that kind). Mentions are notifications of kind `mention`.
import { newestFirst } from '../../platform/db/newest-first.ts';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Message, Notification, User } from '../../../entities/index.ts';
import { NOTIFICATION_KINDS } from '../../../entities/enums.ts';
import type { MentionDto, NotificationDto, NotificationKind } from '../../contract/dto.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { pageLimit } from '../../platform/util/paging.ts';
import { toNotificationDto } from '../../model/notification.mapper.ts';
import { withDetails } from '../../core/messages/history.service.ts';

async function unreadCounts(em: EntityManager, userId: string): Promise<{ unreadCount: number; unreadMentions: number }> {
  const [all, mentions] = await Promise.all([
    em.count(Notification, { user: userId, readAt: null }),
    em.count(Notification, { user: userId, readAt: null, kind: 'mention' }),
  ]);
  return { unreadCount: all, unreadMentions: mentions };
}

export const listNotificationsSchema = z.object({
  unread: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  kind: z.enum(NOTIFICATION_KINDS).optional(),
  limit: pageLimit(100, 50),
  cursor: z.string().max(200).optional(),
}).strict();

async function page(em: EntityManager, principal: Principal, input: { unread: boolean; kind?: NotificationKind; limit: number; cursor?: string }) {
  const where: Record<string, unknown> = { user: principal.userId };
  if (input.unread) where.readAt = null;
  if (input.kind) where.kind = input.kind;
  return newestFirst(em, Notification, where, 'createdAt', input);
}

export async function listNotifications(em: EntityManager, principal: Principal, input: z.infer<typeof listNotificationsSchema>) {
  const { items, nextCursor } = await page(em, principal, input);
  return { notifications: items.map(toNotificationDto), unreadCount: (await unreadCounts(em, principal.userId)).unreadCount, nextCursor };
}

export const listMentionsSchema = listNotificationsSchema.omit({ kind: true });

/** The caller's mentions with their notes (shown as the caller may read them, by the answer's presentation step). */
export async function listMentions(em: EntityManager, principal: Principal, input: z.infer<typeof listMentionsSchema>) {
  const { items, nextCursor } = await page(em, principal, { ...input, kind: 'mention' });
  const ids = items.flatMap((n) => (n.messageId ? [n.messageId] : []));
  const messages = new Map((await withDetails(em, ids.length ? await em.find(Message, { id: { $in: ids } }) : [])).map((m) => [m.id, m]));
  const mentions: MentionDto[] = items.map((n) => ({
    id: n.id, conversationId: n.conversation, authorId: n.actorId ?? null, message: (n.messageId && messages.get(n.messageId)) || null,
    readAt: n.readAt ? n.readAt.toISOString() : null, createdAt: n.createdAt.toISOString(),
  }));
  return { mentions, unreadCount: (await unreadCounts(em, principal.userId)).unreadMentions, nextCursor };
}

export const markReadSchema = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(500) }).strict(),
  z.object({ all: z.literal(true), kind: z.enum(NOTIFICATION_KINDS).optional() }).strict(),
]);

/** Marks the caller's notifications read (the ones named, or all of a kind, or all); answers the unread count. */
export async function markRead(em: EntityManager, principal: Principal, input: z.infer<typeof markReadSchema>, now: Date): Promise<{ unreadCount: number; marked: number }> {
  const where: Record<string, unknown> = { user: principal.userId, readAt: null };
  if ('ids' in input) where.id = { $in: input.ids };
  else if (input.kind) where.kind = input.kind;
  const marked = await em.nativeUpdate(Notification, where, { readAt: now });
  return { marked, unreadCount: (await unreadCounts(em, principal.userId)).unreadCount };
}

export const preferencesSchema = z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean().optional()])) as Record<NotificationKind, z.ZodOptional<z.ZodBoolean>>).strict();
export type Preferences = Record<NotificationKind, boolean>;

const preferencesOf = (muted: string[]): Preferences =>
  Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, !muted.includes(k)])) as Preferences;

export async function getPreferences(em: EntityManager, principal: Principal): Promise<Preferences> {
  const user = await em.findOneOrFail(User, { id: principal.userId });
  return preferencesOf(user.mutedNotifications as string[]);
}

/** Turns kinds on (true) or off (false); kinds left out keep their setting. */
export async function setPreferences(em: EntityManager, principal: Principal, input: z.infer<typeof preferencesSchema>): Promise<Preferences> {
  const user = await em.findOneOrFail(User, { id: principal.userId });
  const muted = new Set(user.mutedNotifications as string[]);
  for (const [kind, on] of Object.entries(input)) {
    if (on === true) muted.delete(kind);
    if (on === false) muted.add(kind);
  }
  user.mutedNotifications = [...muted];
  await em.flush();
  return preferencesOf(user.mutedNotifications);
}
