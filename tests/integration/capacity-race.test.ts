// Round robin never fills an agent past their capacity, even when the drains of two inboxes the agent belongs to
// overlap. The drain's pick reads loads with the snapshot it took before waiting for the agent's row lock; here
// another transaction holds that lock while it gives the agent (capacity 2, one conversation already) a second one,
// and commits only once the pick waits for it. The pick then reads a load of 1; the stamp must read 2 and leave the
// new conversation waiting.
import * as assert from 'uvu/assert';
import pg from 'pg';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { requiring } from '../helpers/requires.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, waitFor, type ClientSocket } from '../helpers/sockets.ts';

const race = requiring('capacity under overlapping drains', ['DATABASE_URL']);

let server: TestServer;
let call: Call;
let t: SeededTenant;
const sockets: ClientSocket[] = [];

race.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Capacity race');
});
race.after(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const admin = (method: string, path: string, body?: unknown) => call(method, path, { token: t.adminToken, body });

race('an agent filled by another inbox\'s commit while the pick waited gets nothing more', async () => {
  const agent = (await admin('POST', '/v1/users', { name: 'Capacity Two', role: 'agent', capacity: 2 })).body;
  const manual = (await admin('POST', '/v1/inboxes', { name: 'Manual', channel: 'chat', memberIds: [agent.user.id] })).body.inbox.id;
  const routed = (await admin('POST', '/v1/inboxes', { name: 'Routed', channel: 'chat', autoAssign: true, memberIds: [agent.user.id] })).body.inbox.id;
  const earlier = (await admin('POST', '/v1/conversations', { inboxId: manual })).body.conversation;
  assert.is(earlier.assigneeId, null);

  const watcher = await connect(server.url, t.supervisorToken);
  sockets.push(watcher);
  const online = waitFor(watcher, 'presence', (p: { userId: string; status: string }) => p.userId === agent.user.id && p.status === 'online');
  sockets.push(await connect(server.url, agent.token));
  await online;
  // The first goes to the agent; after its answer no drain of the routed inbox is under way on the node.
  const first = (await admin('POST', '/v1/conversations', { inboxId: routed })).body.conversation;
  assert.is(first.assigneeId, agent.user.id);

  const other = new pg.Client({ connectionString: server.db.databaseUrl });
  // Looks on from its own connection: pg_stat_activity holds still within a transaction.
  const watch = new pg.Client({ connectionString: server.db.databaseUrl });
  await Promise.all([other.connect(), watch.connect()]);
  try {
    // Another drain, in effect: the agent's row locked, a second conversation given to them, not committed yet.
    await other.query('begin');
    await other.query('select 1 from users where id = $1 for no key update', [agent.user.id]);
    await other.query('update conversations set assignee_id = $1 where id = $2', [agent.user.id, earlier.id]);

    const creating = admin('POST', '/v1/conversations', { inboxId: routed });
    // The creation's drain waits for the agent's row inside its pick (the statement that locks the online members).
    for (const until = Date.now() + 10_000; ;) {
      const { rows } = await watch.query(`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%jsonb_array_elements_text%for no key update%'`);
      if (rows[0].n > 0) break;
        assert.ok(Date.now() < until, 'the drain never waited for the agent row');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await other.query('commit');

    const created = await creating;
    assert.is(created.status, 201, JSON.stringify(created.body));
    assert.is(created.body.conversation.assigneeId, null, 'the other inbox\'s conversation took the second place');
  } finally {
    await Promise.all([other.end(), watch.end()]);
  }
  const check = new pg.Client({ connectionString: server.db.databaseUrl });
  await check.connect();
  const { rows } = await check.query(`select count(*)::int as n from conversations where assignee_id = $1 and status in ('new', 'open', 'pending')`, [agent.user.id])
    .finally(() => check.end());
  assert.is(rows[0].n, 2, 'the agent holds two conversations, their capacity');
});

race.run();
