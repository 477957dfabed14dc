// The adapter's Redis connections while Redis is away: a node that stops then must not crash on the adapter's
// queued subscriptions (realtime/redis-adapter.ts). Nothing listens on port 1, so no Redis is needed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import pino from 'pino';
import { quietSubscriptions } from '../../realtime/redis-adapter.ts';

const adapter = suite('redis adapter connections');
const logger = pino({ level: 'silent' });

adapter('a subscription queued while Redis is away settles quietly when the connection is closed', async () => {
  const client = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  quietSubscriptions(client, logger);
  const pending = [client.subscribe('a'), client.psubscribe('b*'), client.ssubscribe('c')];
  client.disconnect();
  assert.equal(await Promise.all(pending), [0, 0, 0]);
});

adapter('without it the same subscription rejects (what ended the process)', async () => {
  const client = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  const pending = client.subscribe('a');
  client.disconnect();
  await pending.then(() => assert.unreachable('a subscription on a closed connection resolved'), (err: Error) => assert.match(err.message, /Connection is closed/));
});

adapter.run();
