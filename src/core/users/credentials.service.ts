// Credentials after issue: revoking a person's sessions or a bot's keys (their sockets are cut on every
// node and the old credentials are refused from then on), listing a bot's keys, refreshing a token.
import type { EntityManager } from '@mikro-orm/core';
import { decodeJwt } from 'jose';
import { ApiKey, User } from '../../../entities/index.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { TokenService } from '../../platform/auth/tokens.ts';
import { AppError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { getUser } from './users.service.ts';

export interface ApiKeyDto { id: string; prefix: string; createdAt: string; revokedAt: string | null }

const toKeyDto = (k: ApiKey): ApiKeyDto => ({ id: k.id, prefix: k.prefix, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null });

/** A person's tokens issued until now stop working; a bot's keys are all revoked. Their sockets close everywhere. */
export async function revokeCredentials(em: EntityManager, bus: EventBus, principal: Principal, userId: string): Promise<{ user: User; revokedAt: Date }> {
  const user = await getUser(em, userId);
  if (user.id === principal.userId) throw AppError.conflict('an admin cannot revoke their own credentials');
  const revokedAt = new Date();
  if (user.role === 'bot') await em.nativeUpdate(ApiKey, { user: user.id, revokedAt: null }, { revokedAt });
  else {
    user.tokensRevokedAt = revokedAt;
    await em.flush();
  }
  bus.publish({ type: 'access.revoked', tenantId: principal.tenantId, userId: user.id, inboxId: null });
  return { user, revokedAt };
}

export async function listKeys(em: EntityManager, userId: string): Promise<ApiKeyDto[]> {
  const user = await getUser(em, userId);
  if (user.role !== 'bot') throw AppError.notFound('bot');
  const keys = await em.find(ApiKey, { user: user.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return keys.map(toKeyDto);
}

/** Revokes one key of the bot; only the sockets opened with it close. */
export async function revokeKey(em: EntityManager, bus: EventBus, principal: Principal, userId: string, keyId: string): Promise<ApiKeyDto> {
  const key = await em.findOne(ApiKey, { id: keyId, user: userId });
  if (!key) throw AppError.notFound('key');
  if (!key.revokedAt) {
    key.revokedAt = new Date();
    await em.flush();
    bus.publish({ type: 'access.revoked', tenantId: principal.tenantId, userId, inboxId: null, keyId });
  }
  return toKeyDto(key);
}

/** A fresh token for the person calling with a valid one (bots' keys do not expire). */
export async function refreshToken(tokens: TokenService, principal: Principal): Promise<{ token: string; expiresAt: string }> {
  if (principal.kind !== 'user' || principal.role === 'bot') throw AppError.forbidden('API keys do not expire: there is nothing to refresh');
  const token = await tokens.sign({ userId: principal.userId, tenantId: principal.tenantId, role: principal.role });
  // Just signed here: reading its expiry needs no second verification.
  return { token, expiresAt: new Date(decodeJwt(token).exp! * 1000).toISOString() };
}
