// Access tokens for people: HS256 JWTs with sub (user), tid (tenant), role and exp.
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Role } from './principal.ts';

export interface TokenClaims {
  userId: string;
  tenantId: string;
  role: Exclude<Role, 'bot'>;
}

export interface TokenService {
  sign(claims: TokenClaims): Promise<string>;
  /** Returns the claims, or null for any bad, expired or foreign token. */
  verify(token: string): Promise<TokenClaims | null>;
}

const HUMAN_ROLES = new Set(['admin', 'supervisor', 'agent']);

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    async sign({ userId, tenantId, role }) {
      return new SignJWT({ tid: tenantId, role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(key);
    },
    async verify(token) {
      try {
        // Pinning the algorithm refuses `alg: none` and algorithm swaps.
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] });
        const { sub, tid, role } = payload as { sub?: unknown; tid?: unknown; role?: unknown };
        if (typeof sub !== 'string' || typeof tid !== 'string' || typeof role !== 'string' || !HUMAN_ROLES.has(role)) {
          return null;
        }
        return { userId: sub, tenantId: tid, role: role as TokenClaims['role'] };
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },
  };
}
