// Turns a bearer token (a person's JWT or a bot's API key) into a Principal, or null.
import type { MikroORM } from '@mikro-orm/core';
import { ApiKey, User } from '../../entities/index.ts';
import { systemEm } from '../db/tenant-scope.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys.ts';
import type { Principal } from './principal.ts';
import type { TokenService } from './tokens.ts';

export type Authenticator = (token: string | undefined) => Promise<Principal | null>;

export function createAuthenticator(orm: MikroORM, tokens: TokenService): Authenticator {
  return async (token) => {
    if (!token) return null;
    const em = systemEm(orm);
    if (looksLikeApiKey(token)) {
      const key = await em.findOne(ApiKey, { keyHash: hashApiKey(token), revokedAt: null }, { filters: false });
      if (!key) return null;
      const bot = await em.findOne(User, { id: key.user, tenant: key.tenant, active: true }, { filters: false });
      if (!bot || bot.role !== 'bot') return null;
      return { kind: 'bot', tenantId: bot.tenant, userId: bot.id, role: 'bot', name: bot.name };
    }
    const claims = await tokens.verify(token);
    if (!claims) return null;
    // The user must still exist in that tenant and be active: deactivation revokes tokens.
    const user = await em.findOne(User, { id: claims.userId, tenant: claims.tenantId, active: true }, { filters: false });
    if (!user || user.role === 'bot') return null;
    return { kind: 'user', tenantId: user.tenant, userId: user.id, role: user.role, name: user.name };
  };
}
