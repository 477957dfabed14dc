// Canned responses: shared with the tenant or owned by one user, found by shortcut prefix, counted when used.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { CannedResponse } from '../../../entities/index.ts';
import { CHANNELS } from '../../../entities/enums.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { assertMayChange, assertMayShare, sharedOrOwnedBy } from '../../model/shared-or-own.ts';
import type { CannedResponseDto, Channel } from '../../contract/dto.ts';
import { fromRow } from '../../platform/db/rows.ts';
import { sql } from '../../platform/db/sql.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { Tx } from '../../platform/db/tenant-transaction.ts';
import type { SendFollower } from '../../core/messages/send.service.ts';
import { pageLimit } from '../../platform/util/paging.ts';

const shortcut = z.string().trim().min(1).max(100).regex(/^\S+$/, 'no spaces');
const channels = z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length).nullish();

const title = z.string().trim().min(1).max(200).nullish();

export const createCannedSchema = z.object({
  shortcut,
  title,
  body: z.string().min(1).max(20_000),
  category: z.string().trim().min(1).max(100).nullish(),
  /** Shared with the whole tenant (supervisors and admins), or only the caller's own. */
  shared: z.boolean().default(false),
  channels,
}).strict();

export const updateCannedSchema = z.object({
  shortcut: shortcut.optional(),
  title,
  body: z.string().min(1).max(20_000).optional(),
  category: z.string().trim().min(1).max(100).nullish(),
  channels,
}).strict();

export const searchCannedSchema = z.object({
  prefix: z.string().max(100).optional(),
  channel: z.enum(CHANNELS).optional(),
  category: z.string().max(100).optional(),
  limit: pageLimit(200, 50),
}).strict();

export function toCannedDto(c: CannedResponse): CannedResponseDto {
  return {
    id: c.id, shortcut: c.shortcut, title: c.title ?? null, body: c.body, category: c.category ?? null, ownerId: c.owner ?? null,
    channels: (c.channels as Channel[] | null) ?? null, usageCount: c.usageCount,
    lastUsedAt: c.lastUsedAt ? new Date(c.lastUsedAt).toISOString() : null, createdAt: new Date(c.createdAt).toISOString(),
  };
}

const duplicateShortcut = (err: unknown): never => {
  if (isUniqueViolation(err)) throw AppError.conflict('shortcut: already taken');
  throw err;
};

export async function createCanned(em: EntityManager, principal: Principal, input: z.infer<typeof createCannedSchema>): Promise<CannedResponseDto> {
  assertMayShare(principal, input.shared, 'canned responses');
  const canned = em.create(CannedResponse, {
    tenant: principal.tenantId, shortcut: input.shortcut, title: input.title ?? null, body: input.body, category: input.category ?? null,
    owner: input.shared ? null : principal.userId, channels: input.channels ?? null,
  });
  await em.flush().catch(duplicateShortcut);
  return toCannedDto(canned);
}

/** One the caller can see: shared ones and their own. */
async function visibleCanned(em: EntityManager, principal: Principal, id: string): Promise<CannedResponse> {
  const canned = await em.findOne(CannedResponse, { id, ...sharedOrOwnedBy(principal.userId) });
  if (!canned) throw AppError.notFound('canned response');
  return canned;
}

/** Owners change their own; supervisors and admins change shared ones. */
async function editableCanned(em: EntityManager, principal: Principal, id: string): Promise<CannedResponse> {
  const canned = await visibleCanned(em, principal, id);
  assertMayChange(principal, canned, 'canned responses');
  return canned;
}

export async function getCanned(em: EntityManager, principal: Principal, id: string): Promise<CannedResponseDto> {
  return toCannedDto(await visibleCanned(em, principal, id));
}

export async function updateCanned(em: EntityManager, principal: Principal, id: string, input: z.infer<typeof updateCannedSchema>): Promise<CannedResponseDto> {
  const canned = await editableCanned(em, principal, id);
  if (input.shortcut !== undefined) canned.shortcut = input.shortcut;
  if (input.title !== undefined) canned.title = input.title;
  if (input.body !== undefined) canned.body = input.body;
  if (input.category !== undefined) canned.category = input.category;
  if (input.channels !== undefined) canned.channels = input.channels;
  await em.flush().catch(duplicateShortcut);
  return toCannedDto(canned);
}

export async function deleteCanned(em: EntityManager, principal: Principal, id: string): Promise<void> {
  em.remove(await editableCanned(em, principal, id));
  await em.flush();
}

/** Shared ones and the caller's own, by shortcut; `prefix` uses the shortcut prefix index. */
export async function searchCanned(em: EntityManager, principal: Principal, input: z.infer<typeof searchCannedSchema>): Promise<CannedResponseDto[]> {
  const params: unknown[] = [principal.tenantId, principal.userId];
  let where = 'tenant_id = ? and (owner_id is null or owner_id = ?)';
  if (input.prefix) {
    where += ` and shortcut like ? escape '\\'`;
    params.push(`${input.prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  if (input.channel) {
    where += ' and (channels is null or channels @> ?::jsonb)';
    params.push(JSON.stringify([input.channel]));
  }
  if (input.category) {
    where += ' and category = ?';
    params.push(input.category);
  }
  params.push(input.limit);
  const rows = await sql<Record<string, unknown>>(em, `select * from canned_responses where ${where} order by shortcut limit ?`, params);
  return rows.map((row) => toCannedDto(fromRow<CannedResponse>(row)));
}

/** In the send's transaction: a canned response the author cannot see fails the send (nothing is written). */
async function recordCannedUse(tx: Tx, tenantId: string, id: string, userId: string | null, at: Date): Promise<void> {
  const rows = await tx.query(`update canned_responses set usage_count = usage_count + 1, last_used_at = ?
    where id = ? and tenant_id = ? and (owner_id is null or owner_id = ?) returning id`, [at, id, tenantId, userId]);
  if (!rows.length) throw AppError.notFound('canned response');
}

/** A send that names a canned response counts its use, in the send's transaction (and fails if it is not the author's to use). */
export const countCannedUse: SendFollower = async (tx, tenantId, message, at) => {
  if (message.cannedResponseId) await recordCannedUse(tx, tenantId, message.cannedResponseId, message.authorId, at);
};
