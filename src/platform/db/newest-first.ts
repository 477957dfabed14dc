// One page of rows newest first by a time column, then by id (so pages never overlap), with the opaque cursor
// of the next page: contacts, the audit log, notifications, automation runs, the archive.
import type { EntityManager, EntityName } from '@mikro-orm/core';
import { decodeTimeCursor, encodeTimeCursor } from '../util/time-cursor.ts';

export async function newestFirst<T extends { id: string }>(
  em: EntityManager, entity: EntityName<T>, where: Record<string, unknown>, time: keyof T & string, input: { limit: number; cursor?: string },
): Promise<{ items: T[]; nextCursor: string | null }> {
  const filter: Record<string, unknown> = { ...where };
  if (input.cursor) {
    const { t, id } = decodeTimeCursor(input.cursor);
    filter.$and = [...((where.$and as unknown[]) ?? []), { $or: [{ [time]: { $lt: new Date(t) } }, { [time]: new Date(t), id: { $lt: id } }] }];
  }
  const rows = await em.find(entity, filter as never, { orderBy: [{ [time]: 'desc' }, { id: 'desc' }] as never, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeTimeCursor(last[time] as unknown as Date, last.id) : null };
}
