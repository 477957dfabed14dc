// The composition root: bootstrap(config) wires the database, auth, HTTP and (optionally) Redis.
import type { MikroORM } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createAuthenticator } from './auth/authenticate.ts';
import { createTokenService } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { migrate, openOrm } from './db/orm.ts';
import type { HealthCheck } from './http/context.ts';
import { createHttpServer } from './http/server.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { wakeSnoozed } from './conversations/snooze.ts';
import { systemEm } from './db/tenant-scope.ts';
import { EventBus } from './events/domain-events.ts';
import { every } from './jobs/schedule.ts';
import { LocalPresence } from './presence/local-presence.ts';
import { createRealtime, type AppServer } from '../realtime/server.ts';

export interface App {
  config: Config;
  orm: MikroORM;
  http: FastifyInstance;
  io: AppServer;
  logger: Logger;
  /** `http://host:port` the server listens on (the real port when PORT is 0). */
  url: string;
  stop(): Promise<void>;
}

function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // ioredis reconnects by itself; log instead of crashing on its error events.
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  return redis;
}

export async function bootstrap(config: Config, options: { logger?: Logger } = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const orm = await openOrm({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const closers: (() => Promise<unknown>)[] = [() => orm.close()];
  try {
    const applied = await migrate(orm);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    const tokens = createTokenService(config.JWT_SECRET, config.TOKEN_TTL_SECONDS);
    const healthChecks: HealthCheck[] = [{
      name: 'database',
      check: async () => { await orm.em.fork().getConnection().execute('select 1'); },
    }];
    if (config.REDIS_URL) {
      const redis = connectRedis(config.REDIS_URL, logger);
      closers.unshift(() => redis.quit().catch(() => redis.disconnect()));
      healthChecks.push({ name: 'redis', check: async () => { await redis.ping(); } });
    }
    const bus = new EventBus();
    const presence = new LocalPresence();
    const authenticate = createAuthenticator(orm, tokens);
    const http = createHttpServer({ config, orm, tokens, healthChecks, authenticate, presence, bus, metrics: createMetrics() }, logger);
    closers.unshift(() => http.close());
    const realtime = createRealtime(http.server, {
      orm, logger, bus, authenticate, presence, allowedOrigins: config.ALLOWED_ORIGINS,
      maxMessageBytes: config.MAX_MESSAGE_BYTES, sendRate: config.SOCKET_SEND_RATE, typingRate: config.SOCKET_TYPING_RATE,
    });
    closers.unshift(() => realtime.close());
    const snoozeWaker = every(1, 'snooze-waker', logger, async () => { await wakeSnoozed(systemEm(orm), bus); });
    closers.unshift(() => snoozeWaker.stop());
    await http.listen({ port: config.PORT, host: config.HOST });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    return {
      config, orm, http, logger, io: realtime.io,
      url: `http://${host}:${port}`,
      async stop() {
        for (const close of closers) await close();
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => undefined);
    throw err;
  }
}
