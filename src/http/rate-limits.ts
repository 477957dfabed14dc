// HTTP rate limits, per node (rate-limiter-flexible's in-memory limiters): writes per credential and per
// client address, and failed sign-ins (a wrong admin key, token or bot key) per address. An address past its
// failures is refused every credentialed call for the rest of the minute, so keys cannot be guessed at speed.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../platform/errors.ts';
import { SIGNATURE_HEADER } from '../features/inbound/signature.ts';

export interface RateLimitSettings {
  /** Writes (POST, PUT, PATCH, DELETE) per second per credential. */
  writesPerCredential: number;
  /** Writes per second per client address, whatever the credential. */
  writesPerAddress: number;
  /** Failed authentications per minute per address before it is refused. */
  authFailuresPerMinute: number;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The credential a request carries, hashed (the limiter's keys never hold a secret). */
function credentialKey(request: FastifyRequest): string | null {
  const secret = request.headers.authorization ?? request.headers['x-admin-key'] ?? request.headers[SIGNATURE_HEADER];
  if (typeof secret !== 'string' || !secret) return null;
  return createHash('sha256').update(secret).digest('base64url').slice(0, 22);
}

const limited = (res: unknown, what: string): AppError => {
  const seconds = res instanceof RateLimiterRes ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 1;
  return AppError.rateLimited(`too many ${what}: try again in ${seconds} s`);
};

export function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): void {
  const perCredential = new RateLimiterMemory({ points: settings.writesPerCredential, duration: 1 });
  const perAddress = new RateLimiterMemory({ points: settings.writesPerAddress, duration: 1 });
  const failures = new RateLimiterMemory({ points: settings.authFailuresPerMinute, duration: 60 });

  app.addHook('onRequest', async (request) => {
    const credential = credentialKey(request);
    if (credential) {
      const spent = await failures.get(request.ip);
      if (spent && spent.consumedPoints >= settings.authFailuresPerMinute) throw limited(spent, 'failed sign-ins from this address');
    }
    if (!WRITES.has(request.method)) return;
    await perAddress.consume(request.ip).catch((res: unknown) => { throw limited(res, 'requests from this address'); });
    if (credential) await perCredential.consume(credential).catch((res: unknown) => { throw limited(res, 'writes with this credential'); });
  });

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401 && credentialKey(request)) await failures.consume(request.ip).catch(() => undefined);
  });
}
