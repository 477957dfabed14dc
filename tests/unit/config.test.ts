import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, parseEnv } from '../../src/config.ts';

const config = suite('config');

config('defaults follow PROTOCOL §1', () => {
  const c = parseEnv({});
  assert.is(c.PORT, 3000);
  assert.is(c.HOST, '127.0.0.1');
  assert.is(c.DATA_DIR, './.data');
  assert.is(c.DATABASE_URL, undefined);
  assert.is(c.REDIS_URL, undefined);
  assert.is(c.REDIS_ADAPTER, 'classic');
  assert.is(c.SLA_TICK_SECONDS, 1);
  assert.is(c.DATABASE_POOL_MAX, 8);
  assert.is(c.LOG_LEVEL, 'info');
  assert.equal(c.ALLOWED_ORIGINS, []);
});

config('values are coerced from strings', () => {
  const c = parseEnv({ PORT: '8080', SLA_TICK_SECONDS: '0.5', DATABASE_POOL_MAX: '12', ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173' });
  assert.is(c.PORT, 8080);
  assert.is(c.DATABASE_POOL_MAX, 12);
  assert.is(c.SLA_TICK_SECONDS, 0.5);
  assert.equal(c.ALLOWED_ORIGINS, ['https://a.example', 'http://localhost:5173']);
});

config('empty strings count as unset', () => {
  const c = parseEnv({ DATABASE_URL: '', REDIS_URL: '', ADMIN_KEY: '' });
  assert.is(c.DATABASE_URL, undefined);
  assert.is(c.REDIS_URL, undefined);
  assert.is(c.REDIS_ADAPTER, 'classic');
  assert.is(c.ADMIN_KEY, undefined);
});

config('every problem is reported together', () => {
  try {
    parseEnv({ PORT: 'abc', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', LOG_LEVEL: 'loud', JWT_SECRET: 'short', DATABASE_POOL_MAX: '1' });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, ConfigError);
    const message = (err as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'JWT_SECRET', 'DATABASE_POOL_MAX']) {
      assert.ok(message.includes(name), `${name} missing from: ${message}`);
    }
  }
});

config('origins must be exact', () => {
  assert.throws(() => parseEnv({ ALLOWED_ORIGINS: 'https://a.example/path' }), /ALLOWED_ORIGINS/);
  assert.throws(() => parseEnv({ ALLOWED_ORIGINS: '*' }), /ALLOWED_ORIGINS/);
});

config.run();
