// The sharded adapter's check of the Redis server's version (realtime/redis-adapter.ts) reads INFO's answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redisMajorVersion } from '../../realtime/redis-adapter.ts';

const version = suite('redis version');

version('the major version comes from the redis_version line, wherever it stands', () => {
  assert.is(redisMajorVersion('# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n'), 7);
  assert.is(redisMajorVersion('# Server\r\nredis_git_sha1:0\r\nredis_version:6.2.14\r\nredis_mode:standalone\r\n'), 6);
  assert.is(redisMajorVersion('# Server\nredis_version:10.0.1\n'), 10);
});

version('an answer without the line gives no version (the check then refuses nothing)', () => {
  assert.is(redisMajorVersion('# Server\r\nredis_mode:standalone\r\n'), null);
  assert.is(redisMajorVersion(''), null);
});

version.run();
