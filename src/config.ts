// Configuration (README.md, Configuration): one zod schema over the environment, every problem reported at once.
import cron from 'node-cron';
import { z } from 'zod';
import { describeZodError } from './platform/errors.ts';
import { parseAddressPolicy } from './features/webhooks/address-guard.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each origin must be exact, like https://app.example.com (scheme, host, optional port, no path)');

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL').optional(),
  ),
  DATA_DIR: z.string().min(1).default('./.data'),
  /** Named prepared statements on the hot paths; turn off behind a transaction-pooling PgBouncer older than 1.21. */
  DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  /**
   * PostgreSQL connections per node at most. Work beyond what PostgreSQL's cores can run at once waits better here
   * than in PostgreSQL: with 20, three nodes on two cores spent more CPU per creation and waited longer (docs/performance.md).
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(8),
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL').optional()),
  ADMIN_KEY: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  ALLOWED_ORIGINS: optionalString.transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(origin)),
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto/-Host (client address, and the origin browsers use). */
  TRUST_PROXY: z.enum(['true', 'false', '1', '0', '']).default('false').transform((v) => v === 'true' || v === '1'),
  /**
   * `classic`: one pub/sub channel that every node decodes everything on. `sharded` (Redis 7+): a channel per room,
   * so a node hears only broadcasts its sockets can receive, and a Redis cluster spreads them; but its adapter sends
   * to this node's own sockets only after Redis has taken the publish (an acknowledgement can overtake a broadcast
   * it caused). Every node of a deployment must use the same.
   */
  REDIS_ADAPTER: z.enum(['classic', 'sharded']).default('classic'),
  SLA_TICK_SECONDS: z.coerce.number().positive().max(3600).default(1),
  /** Outbound webhooks: waits between attempts (seconds, comma-separated), request timeout, dead letters that disable an endpoint. */
  WEBHOOK_RETRY_SCHEDULE: z.string().default('5,300,1800,7200,18000,36000,36000')
    .transform((s) => s.split(',').map((v) => Number(v.trim())))
    .refine((list) => list.length > 0 && list.every((v) => Number.isFinite(v) && v >= 0), 'comma-separated seconds'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(5),
  /** Outbound webhooks reach public addresses only; `true` allows any, or comma-separated CIDRs allow those. */
  WEBHOOK_ALLOW_PRIVATE: optionalString.transform((value, ctx) => {
    try {
      return parseAddressPolicy(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'true, false, or comma-separated CIDRs like 10.0.0.0/8,fd00::/8' });
      return z.NEVER;
    }
  }),
  /** How often the routing sweep moves absent assignees' work and drains waiting queues. */
  ROUTING_TICK_SECONDS: z.coerce.number().positive().max(3600).default(2),
  /** When the daily retention job runs (node-cron, six fields, the server's time zone): done conversations to the archive. */
  RETENTION_CRON: z.string().default('0 30 3 * * *').refine((c) => cron.validate(c), 'RETENTION_CRON: not a cron expression'),
  /** Where customers reach this server (the satisfaction survey's link); default http://localhost:<PORT>. */
  PUBLIC_URL: optionalString.pipe(origin.optional()),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** `--demo`: the demo inbox's first-response target (its warning comes at half); the simulated traffic keeps pace with it. */
  DEMO_SLA_SECONDS: z.coerce.number().int().min(4).max(3600).default(60),
  /** Check every HTTP answer against the schema its route documents (the tests turn it on; it costs a parse per answer). */
  VALIDATE_RESPONSES: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  /** Access tokens are short-lived; `POST /v1/auth/refresh` trades a valid one for a fresh one. */
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(12 * 3600),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1).default(64 * 1024),
  SOCKET_SEND_RATE: z.coerce.number().positive().default(20),
  /** HTTP writes per second per credential, and per client address; failed sign-ins per minute per address. */
  HTTP_WRITE_RATE: z.coerce.number().int().positive().default(20),
  HTTP_ADDRESS_WRITE_RATE: z.coerce.number().int().positive().default(200),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Sockets one user (or bot) may hold open on one node; more are refused at the handshake. */
  MAX_SOCKETS_PER_USER: z.coerce.number().int().positive().default(20),
  SOCKET_TYPING_RATE: z.coerce.number().positive().default(5),
  /** A socket whose unsent backlog passes this many bytes (a client that stopped reading) is disconnected. */
  MAX_SOCKET_BACKLOG_BYTES: z.coerce.number().int().min(64 * 1024).default(1024 * 1024),
});

export type EnvConfig = z.output<typeof envSchema>;

/** Everything the app needs: the environment, with secrets resolved. */
export interface Config extends Omit<EnvConfig, 'ADMIN_KEY' | 'JWT_SECRET'> {
  ADMIN_KEY: string;
  JWT_SECRET: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function parseEnv(env: Record<string, string | undefined>): EnvConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError(`invalid configuration: ${describeZodError(result.error)}`);
  return result.data;
}
