// Logs at info level never carry a token, an API key, a webhook secret or a message body, whatever the
// request put where: every line the server writes during a busy session is captured and searched.
import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bootstrap } from '../../src/app.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { testConfig } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant } from '../helpers/seed.ts';
import { connect, ok } from '../helpers/sockets.ts';

const hygiene = suite('log hygiene');

hygiene('tokens, API keys, webhook secrets and bodies stay out of the info log', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(chunk.toString()); done(); } });
  const db = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: db.databaseUrl, DATA_DIR: db.dataDir, LOG_LEVEL: 'info' });
  const app = await bootstrap(config, { logger: createLogger('info', sink) });
  try {
    const call = httpClient(app.url);
    const t = await seedTenant(call, 'Hygiene');
    const conversationId = await newConversation(call, t);
    const body = 'MESSAGE-BODY-7f3a9c';
    const socket = await connect(app.url, t.agentToken);
    await ok(socket, 'message:send', { conversationId, clientMessageId: 'h1', body });
    // Failing and odd requests too: a token in the query string, a bad bearer, a bad body, an inbound webhook.
    await call('GET', `/v1/conversations?token=${t.agentToken}&api_key=${t.botKey}`, { token: t.agentToken });
    await call('GET', '/v1/users', { token: `${t.adminToken}x` });
    await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.botKey, body: { clientMessageId: 'h2', body } });
    await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 5, body } });
    await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'x1', from: { handle: 'carla@hygiene.example' }, body });
    await signedInbound(call, t.inboxId, `${t.webhookSecret}-wrong`, { externalId: 'x2', from: { handle: 'carla@hygiene.example' }, body });
    socket.close();
    const log = lines.join('');
    assert.ok(lines.length > 10, `the server logged (${lines.length} lines)`);
    for (const [what, secret] of [['agent token', t.agentToken], ['admin token', t.adminToken], ['bot key', t.botKey],
      ['webhook secret', t.webhookSecret], ['admin key', config.ADMIN_KEY], ['message body', body]] as const) {
      assert.not.ok(log.includes(secret), `the log holds the ${what}`);
    }
  } finally {
    await app.stop();
    await db.drop();
  }
});

hygiene.run();
