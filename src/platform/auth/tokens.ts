// Access tokens for people: HS256 JWTs with sub (user), tid (tenant), role and exp.
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Role } from './principal.ts';

export interface TokenClaims {
  userId: string;
  tenantId: string;
  role: Exclude<Role, 'bot'>;
}

export interface VerifiedToken extends TokenClaims {
  /** When it was issued, epoch milliseconds (`iat` is whole seconds; a revocation needs finer). */
  issuedAtMs: number;
  /** When it expires, epoch seconds. */
  expiresAt: number;
}

export interface TokenService {
  sign(claims: TokenClaims): Promise<string>;
  /** Returns the claims, or null for any bad, expired or foreign token. */
  verify(token: string): Promise<VerifiedToken | null>;
}

const HUMAN_ROLES = new Set(['admin', 'supervisor', 'agent']);

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  // A CryptoKey made once: jose imports raw bytes (and a secret KeyObject, which it exports to bytes) again on
  // every sign and verify.
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  // A token's signature and claims never change: a token seen before skips the HMAC (expiry is still checked; the
  // authenticator checks revocation and the user on every use).
  const verified = new Map<string, VerifiedToken>();
  return {
    async sign({ userId, tenantId, role }) {
      const nowMs = Date.now();
      const now = Math.floor(nowMs / 1000);
      return new SignJWT({ tid: tenantId, role, iat_ms: nowMs })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(await key);
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) return known.expiresAt > Date.now() / 1000 ? known : null;
      const claims = await verifyToken(token, await key);
      if (claims) {
        if (verified.size >= VERIFIED_LIMIT) verified.clear();
        verified.set(token, claims);
      }
      return claims;
    },
  };
}

const VERIFIED_LIMIT = 10_000;

async function verifyToken(token: string, key: CryptoKey): Promise<VerifiedToken | null> {
  try {
    // Pinning the algorithm refuses `alg: none` and algorithm swaps.
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp', 'iat'] });
    const { sub, tid, role, iat_ms: iatMs } = payload as { sub?: unknown; tid?: unknown; role?: unknown; iat_ms?: unknown };
    if (typeof sub !== 'string' || typeof tid !== 'string' || typeof role !== 'string' || !HUMAN_ROLES.has(role)) {
      return null;
    }
    return { userId: sub, tenantId: tid, role: role as TokenClaims['role'], issuedAtMs: typeof iatMs === 'number' ? iatMs : payload.iat! * 1000, expiresAt: payload.exp! };
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
