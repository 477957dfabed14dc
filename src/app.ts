// The composition root: bootstrap(config) wires the database, auth, HTTP, Socket.IO, presence,
// assignment and the periodic jobs, and answers a handle that stops them in order.
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createRealtime, type AppServer } from '../realtime/server.ts';
import { scheduleSla } from '../sla/schedule.ts';
import { Router } from './routing/routing.ts';
import { createAuthenticator } from './platform/auth/authenticate.ts';
import { createTokenService } from './platform/auth/tokens.ts';
import type { Config } from './config.ts';
import { wakeSnoozed } from './core/conversations/snooze.ts';
import { migrate, openOrm } from './platform/db/orm.ts';
import { systemEm, tenantEm } from './platform/db/tenant-scope.ts';
import { sweepRouting } from './routing/routing-sweep.ts';
import { EventBus } from './platform/events/domain-events.ts';
import { systemClock } from './platform/clock.ts';
import type { HealthCheck } from './http/context.ts';
import { createHttpServer } from './http/server.ts';
import { every, onSchedule } from './platform/jobs/schedule.ts';
import { refreshOutgrownStatistics } from './platform/db/plan-freshness.ts';
import { vacuumDeadRows } from './platform/db/embedded-vacuum.ts';
import { archiveDue } from './features/retention/archive.ts';
import { createLogger } from './platform/logger.ts';
import { createMetrics } from './platform/metrics.ts';
import { MemoryPresence } from './platform/presence/memory-presence.ts';
import type { PresenceStore } from './platform/presence/presence-store.ts';
import { PresenceService } from './platform/presence/presence.service.ts';
import { RedisPresence } from './platform/presence/redis-presence.ts';
import { closeRedis } from './platform/redis-close.ts';
import { ownWindows, redisWindows, type WindowClaims } from './platform/coordination/window-claims.ts';
import { CampaignSender } from './features/campaigns/campaign-sender.ts';
import { followMessageStatus } from './features/campaigns/campaigns.service.ts';
import { WebhookDispatcher } from './features/webhooks/dispatcher.ts';
import { RuleRunner } from './features/automation/rule-runner.ts';
import { createSurveyLinks } from './features/csat/survey-link.ts';
import { createTransactions } from './platform/db/tenant-transaction.ts';
import { NotificationWriter } from './features/notifications/notification-writer.ts';
import { MessageSender } from './core/messages/send.service.ts';
import { countCannedUse } from './features/canned/canned-responses.service.ts';
import { ConversationCreator } from './core/conversations/create.service.ts';
import { reactions } from './reactions/index.ts';
import { register } from './reactions/reaction.ts';

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

const PRESENCE_SWEEP_SECONDS = 5;
const CAMPAIGN_SWEEP_SECONDS = 5;
/** How often a node looks for tables that outgrew their statistics (one query; an analyze only on doubling). */
const PLAN_FRESHNESS_SECONDS = 5;
/** How often the embedded node looks for tables with dead rows past the threshold (one query; a vacuum only then). */
const EMBEDDED_VACUUM_SECONDS = 5;

function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // ioredis reconnects by itself; log instead of crashing on its error events.
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  return redis;
}

const LISTEN_BACKLOG = 4096;

export async function bootstrap(config: Config, options: { logger?: Logger } = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const nodeId = randomUUID();
  const orm = await openOrm({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX });
  // Closed last-opened first.
  const closers: (() => Promise<unknown>)[] = [() => orm.close()];
  const onStop = (close: () => Promise<unknown>) => closers.unshift(close);
  try {
    const applied = await migrate(orm);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    const tokens = createTokenService(config.JWT_SECRET, config.TOKEN_TTL_SECONDS);
    const healthChecks: HealthCheck[] = [{
      name: 'database',
      check: async () => { await orm.em.fork().getConnection().execute('select 1'); },
    }];
    let store: PresenceStore = new MemoryPresence();
    let windows: WindowClaims = ownWindows;
    if (config.REDIS_URL) {
      const redis = connectRedis(config.REDIS_URL, logger);
      onStop(() => closeRedis(redis));
      healthChecks.push({ name: 'redis', check: async () => { await redis.ping(); } });
      store = new RedisPresence(redis, nodeId);
      windows = redisWindows(redis);
    }
    const clock = systemClock;
    const metrics = createMetrics();
    const bus = new EventBus({
      onListenerError: (listener, err, event) => {
        metrics.listenerErrors.inc({ listener });
        logger.error({ err, listener, event: event.type, tenantId: event.tenantId }, 'a listener failed');
      },
    });
    const presence = new PresenceService(store, bus, logger);
    onStop(() => store.close());
    const transactions = await createTransactions(orm, { postgres: Boolean(config.DATABASE_URL), preparedStatements: config.DATABASE_PREPARED_STATEMENTS });
    const routing = new Router(orm, transactions.tenant, store, bus, clock);

    const authenticate = createAuthenticator(transactions.single, tokens);
    const messages = new MessageSender(bus, transactions.tenant, { maxMessageBytes: config.MAX_MESSAGE_BYTES }, [countCannedUse], clock);
    const conversations = new ConversationCreator(bus, routing, transactions.tenant, clock);
    const campaigns = new CampaignSender(orm, bus, messages, logger);
    const dispatcher = new WebhookDispatcher(orm, transactions.single, bus, logger, {
      retrySchedule: config.WEBHOOK_RETRY_SCHEDULE, timeoutMs: config.WEBHOOK_TIMEOUT_MS, disableAfter: config.WEBHOOK_DISABLE_AFTER,
      addressPolicy: config.WEBHOOK_ALLOW_PRIVATE,
    });
    const webhooks = { kick: () => dispatcher.kick() };
    onStop(() => dispatcher.stop());
    const emFor = (tenantId: string) => tenantEm(orm, tenantId);
    const rules = new RuleRunner(emFor, { routing, messages, webhooks }, bus, clock);
    const surveys = createSurveyLinks(config.JWT_SECRET, config.PUBLIC_URL ?? `http://localhost:${config.PORT}`);
    const notifications = new NotificationWriter(bus, transactions.tenant);
    onStop(register(bus, reactions({ bus, router: routing, emFor, webhooks, rules, messages, surveys, notifications, windows })));
    const http = createHttpServer({
      config, orm, tokens, healthChecks, authenticate, presence: store, bus, routing, campaigns, messages, conversations, webhooks, surveys,
      statusFollowers: [followMessageStatus], metrics, clock,
    }, logger);
    onStop(() => http.close());
    const realtime = createRealtime(http.server, {
      orm, logger, bus, clock, authenticate, presence, routing, allowedOrigins: config.ALLOWED_ORIGINS, trustProxy: config.TRUST_PROXY,
      messages, sendRate: config.SOCKET_SEND_RATE, typingRate: config.SOCKET_TYPING_RATE,
      maxBacklogBytes: config.MAX_SOCKET_BACKLOG_BYTES, maxSocketsPerUser: config.MAX_SOCKETS_PER_USER,
      redis: config.REDIS_URL ? { url: config.REDIS_URL, mode: config.REDIS_ADAPTER } : undefined,
    });
    onStop(() => realtime.close());

    const jobs = [
      every(1, 'snooze-waker', logger, async () => { await wakeSnoozed(transactions.single, systemEm(orm), bus); }),
      every(PRESENCE_SWEEP_SECONDS, 'presence-sweep', logger, () => presence.sweep()),
      // Retries come due, and what a node that died had claimed.
      every(1, 'webhook-dispatcher', logger, () => dispatcher.run()),
      every(config.ROUTING_TICK_SECONDS, 'routing-sweep', logger, async () => { await sweepRouting(transactions.single, routing, store); }),
      scheduleSla(transactions.system, bus, config.SLA_TICK_SECONDS, logger),
      // Picks up what another node left half done (its claims expire); new campaigns start at once.
      every(CAMPAIGN_SWEEP_SECONDS, 'campaign-sender', logger, () => campaigns.drain()),
      // Tables that outgrew their statistics are analyzed, so that generic plans made over small tables are made again.
      // The embedded database too: its statements run on generic plans as well, and it has no autovacuum at all.
      every(PLAN_FRESHNESS_SECONDS, 'plan-freshness', logger, async () => {
        const tables = await refreshOutgrownStatistics(transactions.system);
        if (tables.length) logger.info({ tables }, 'statistics refreshed');
      }),
      // The embedded database has no autovacuum: dead rows are vacuumed by the node (PostgreSQL's autovacuum does it there).
      ...(config.DATABASE_URL ? [] : [every(EMBEDDED_VACUUM_SECONDS, 'embedded-vacuum', logger, async () => {
        const tables = await vacuumDeadRows(transactions.single);
        if (tables.length) logger.debug({ tables }, 'vacuumed');
      })]),
      // Daily: done conversations and old attachments past their tenant's retention are archived (once, whichever nodes run it).
      onSchedule(config.RETENTION_CRON, 'retention', logger, async () => {
        const archived = await archiveDue(transactions.system);
        if (archived.conversations || archived.attachments) logger.info(archived, 'archived by retention');
      }),
    ];
    onStop(() => Promise.all(jobs.map((job) => job.stop())));

    // A deep accept queue: after a network blip thousands of clients reconnect within a second, and a
    // full queue drops their SYNs into multi-second TCP retransmits (the kernel caps it at somaxconn).
    await http.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    return {
      config, orm, http, io: realtime.io, logger,
      url: `http://${host}:${port}`,
      async stop() {
        for (const close of closers) await close().catch((err: unknown) => logger.warn({ err }, 'error while stopping'));
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => undefined);
    throw err;
  }
}
