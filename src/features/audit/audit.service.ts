// The audit log's two operations: record an entry (for the caller's tenant) and read entries newest first,
// filtered and paged by cursor. Entries are never changed or removed (the database refuses).
import { newestFirst } from '../../platform/db/newest-first.ts';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { AuditEntry } from '../../../entities/index.ts';
import type { AuditEntryDto } from '../../contract/dto.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { pageLimit } from '../../platform/util/paging.ts';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

export async function recordAudit(em: EntityManager, actor: Principal, record: AuditRecord, at: Date): Promise<void> {
  em.create(AuditEntry, {
    tenant: actor.tenantId, actorId: actor.userId, actorName: actor.name, actorRole: actor.role,
    action: record.action, targetType: record.targetType, targetId: record.targetId, details: record.details, occurredAt: at,
  });
  await em.flush();
}

export const listAuditSchema = z.object({
  action: z.string().max(64).optional(),
  actorId: z.uuid().optional(),
  targetType: z.string().max(64).optional(),
  targetId: z.string().max(255).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: pageLimit(200, 50),
  cursor: z.string().max(200).optional(),
}).strict();

export function toAuditEntryDto(e: AuditEntry): AuditEntryDto {
  return {
    id: e.id, actorId: e.actorId ?? null, actorName: e.actorName, actorRole: e.actorRole, action: e.action,
    targetType: e.targetType, targetId: e.targetId ?? null, details: (e.details as Record<string, unknown> | null) ?? null,
    occurredAt: e.occurredAt.toISOString(),
  };
}

export async function listAudit(em: EntityManager, input: z.infer<typeof listAuditSchema>): Promise<{ entries: AuditEntryDto[]; nextCursor: string | null }> {
  const where: Record<string, unknown> = {};
  if (input.action) where.action = input.action;
  if (input.actorId) where.actorId = input.actorId;
  if (input.targetType) where.targetType = input.targetType;
  if (input.targetId) where.targetId = input.targetId;
  if (input.since) where.occurredAt = { $gte: new Date(input.since) };
  const { items, nextCursor } = await newestFirst(em, AuditEntry, where, 'occurredAt', input);
  return { entries: items.map(toAuditEntryDto), nextCursor };
}
