// Boots the real app on a random port against a fresh database, as the tests' server.
import { bootstrap, type App } from '../../src/app.ts';
import { parseEnv, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789-0123456789-abcdef';
/** The tests' webhook receivers listen on loopback, which a default server refuses to call. */
export const TEST_WEBHOOK_ALLOW = '127.0.0.0/8,::1/128';
/** Tests drive many requests and sockets from one address and one credential; the limits' own test sets them low. */
export const TEST_LIMITS = {
  HTTP_WRITE_RATE: '100000', HTTP_ADDRESS_WRITE_RATE: '100000', AUTH_FAILURES_PER_MINUTE: '100000', MAX_SOCKETS_PER_USER: '100000',
};

export interface TestServer {
  app: App;
  url: string;
  db: TestDatabase;
  config: Config;
  stop(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  // REDIS_URL comes from the environment, so that CI runs the suites against its Redis too.
  const env = parseEnv({
    PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', REDIS_URL: process.env.REDIS_URL, WEBHOOK_ALLOW_PRIVATE: TEST_WEBHOOK_ALLOW,
    ...TEST_LIMITS, VALIDATE_RESPONSES: 'true',
  });
  return { ...env, ADMIN_KEY: TEST_ADMIN_KEY, JWT_SECRET: TEST_JWT_SECRET, ...overrides };
}

export async function startServer(overrides: Partial<Config> = {}, db?: TestDatabase): Promise<TestServer> {
  const database = db ?? await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.databaseUrl, DATA_DIR: database.dataDir, ...overrides });
  const app = await bootstrap(config, { logger: createLogger(config.LOG_LEVEL) });
  return {
    app, url: app.url, db: database, config,
    async stop() {
      await app.stop();
      if (!db) await database.drop();
    },
  };
}
