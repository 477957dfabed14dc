// GET /health (database, and Redis when configured) and GET /metrics.
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from './context.ts';
import { z } from 'zod';
import { doc } from './openapi.ts';

const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), reason: z.string().optional() }).strict();

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export function healthRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/health', { logLevel: 'warn', ...doc({
    tags: ['operations'], summary: 'Whether the database (and Redis, when configured) answer', access: 'anyone', security: 'none',
    response: { 200: healthSchema, 503: healthSchema },
  }) }, async (_request, reply) => {
    const failures: string[] = [];
    await Promise.all(deps.healthChecks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), CHECK_TIMEOUT_MS);
      } catch (err) {
        failures.push(`${name}: ${(err as Error).message}`);
      }
    }));
    if (failures.length) return reply.status(503).send({ status: 'unavailable', reason: failures.join('; ') });
    return { status: 'ok' };
  });

  app.get('/metrics', { logLevel: 'warn', ...doc({
    tags: ['operations'], summary: 'Prometheus metrics (text)', access: 'anyone', security: 'none', response: { 200: z.string() },
  }) }, async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
