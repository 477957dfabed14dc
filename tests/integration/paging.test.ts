// Paging that forgives: a limit above the largest page answers the largest page and says there is more
// (hasMore or a cursor), on the socket's sync, on message history and on lists, instead of VALIDATION.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, request } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const paging = suite('paging');

paging.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Paging');
});
paging.after(async () => { await server.stop(); });

paging('conversation:sync and message history with limit 1000 answer the largest page, with hasMore when more remain', async () => {
  const conversationId = await newConversation(call, t);
  const socket = await connect(server.url, t.agentToken);
  try {
    for (let i = 0; i < 3; i++) await ok(socket, 'message:send', { conversationId, clientMessageId: `p-${i}`, body: `m${i}` });
    const sync = await request(socket, 'conversation:sync', { conversationId, afterSeq: 0, limit: 1000 });
    assert.ok(sync.ok, JSON.stringify(sync));
    assert.equal(sync.ok && sync.data.messages.map((m: any) => m.seq), [1, 2, 3]);
    assert.is(sync.ok && sync.data.hasMore, false);
    const history = await call('GET', `/v1/conversations/${conversationId}/messages?limit=1000`, { token: t.agentToken });
    assert.is(history.status, 200, JSON.stringify(history.body));
    assert.is(history.body.messages.length, 3);
    // Still refused: what is not a page size at all.
    const bad = await request(socket, 'conversation:sync', { conversationId, afterSeq: 0, limit: 0 });
    assert.is(!bad.ok && bad.error.code, 'VALIDATION');
  } finally {
    socket.close();
  }
});

paging('a list asked for more than its largest page (100 conversations) answers 100 and a cursor to the rest', async () => {
  for (let i = 0; i < 101; i++) await newConversation(call, t);
  const first = await call('GET', '/v1/conversations?limit=1000', { token: t.adminToken });
  assert.is(first.status, 200, JSON.stringify(first.body));
  assert.is(first.body.conversations.length, 100);
  assert.type(first.body.nextCursor, 'string');
  const rest = await call('GET', `/v1/conversations?limit=1000&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: t.adminToken });
  assert.is(rest.status, 200);
  assert.ok(rest.body.conversations.length >= 2);
  const ids = new Set([...first.body.conversations, ...rest.body.conversations].map((c: any) => c.id));
  assert.is(ids.size, first.body.conversations.length + rest.body.conversations.length);
});

paging.run();
