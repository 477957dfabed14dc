// Round robin when another transaction commits while a drain waits for a lock. A statement that waited for a lock
// still reads with the snapshot it started with, so what the drain read in it is stale. Each case holds the lock in
// a transaction of its own, changes something, and commits only once pg_stat_activity shows the drain waiting:
// - an agent (capacity 2, one conversation already) given a second one by another inbox's drain while the pick waited
//   for the agent's row must get nothing more;
// - an agent removed from the inbox while the drain waited for the inbox row must get nothing at all.
import * as assert from 'uvu/assert';
import pg from 'pg';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { requiring } from '../helpers/requires.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, waitFor, type ClientSocket } from '../helpers/sockets.ts';
import { until } from '../helpers/wait.ts';

const race = requiring('round robin under overlapping transactions', ['DATABASE_URL']);

let server: TestServer;
let call: Call;
let t: SeededTenant;
const sockets: ClientSocket[] = [];

race.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Drain races');
});
race.after(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const admin = (method: string, path: string, body?: unknown) => call(method, path, { token: t.adminToken, body });

/** An agent, online (as the tenant hears it), member of a new auto-assigning inbox. */
async function onlineAgent(name: string, capacity: number) {
  const agent = (await admin('POST', '/v1/users', { name, role: 'agent', capacity })).body;
  const routed = (await admin('POST', '/v1/inboxes', { name: `${name} inbox`, channel: 'chat', autoAssign: true, memberIds: [agent.user.id] })).body.inbox.id;
  const watcher = await connect(server.url, t.supervisorToken);
  sockets.push(watcher);
  const online = waitFor(watcher, 'presence', (p: { userId: string; status: string }) => p.userId === agent.user.id && p.status === 'online');
  sockets.push(await connect(server.url, agent.token));
  await online;
  return { id: agent.user.id as string, routed: routed as string };
}

/**
 * Runs `change` in a transaction that stays open while a conversation is created in `inboxId`, until the creation's
 * drain waits for a lock in the statement whose text matches `waitingIn`; then commits, and answers the creation.
 */
async function createWhileHeld(inboxId: string, waitingIn: string, change: (tx: pg.Client) => Promise<void>) {
  const holder = new pg.Client({ connectionString: server.db.databaseUrl });
  await holder.connect();
  try {
    await holder.query('begin');
    await change(holder);
    const creating = admin('POST', '/v1/conversations', { inboxId });
    // Looked at outside the holder's transaction, within which pg_stat_activity holds still.
    await until(async () => (await sql(`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query like ?`, [waitingIn]))[0].n > 0, 10_000, `the drain to wait in ${waitingIn}`);
    await holder.query('commit');
    const created = await creating;
    assert.is(created.status, 201, JSON.stringify(created.body));
    return created.body.conversation as { id: string; assigneeId: string | null };
  } finally {
    await holder.end();
  }
}

/** A statement on the server's own connection pool (outside any tenant's transaction). */
const sql = (query: string, params: unknown[]) => server.app.orm.em.fork().getConnection().execute<{ n: number }[]>(query, params);

async function openCount(userId: string): Promise<number> {
  return (await sql(`select count(*)::int as n from conversations where assignee_id = ? and status in ('new', 'open', 'pending')`, [userId]))[0].n;
}

race('an agent filled by another inbox\'s commit while the pick waited gets nothing more', async () => {
  const agent = await onlineAgent('Capacity Two', 2);
  const manual = (await admin('POST', '/v1/inboxes', { name: 'Manual', channel: 'chat', memberIds: [agent.id] })).body.inbox.id;
  const earlier = (await admin('POST', '/v1/conversations', { inboxId: manual })).body.conversation;
  assert.is(earlier.assigneeId, null);
  // The first goes to the agent; after its answer no drain of the routed inbox is under way on the node.
  const first = (await admin('POST', '/v1/conversations', { inboxId: agent.routed })).body.conversation;
  assert.is(first.assigneeId, agent.id);
  // Another drain, in effect: the agent's row locked, a second conversation given to them. The pick locks the
  // online members' rows.
  const created = await createWhileHeld(agent.routed, '%jsonb_array_elements_text%for no key update%', async (tx) => {
    await tx.query('select 1 from users where id = $1 for no key update', [agent.id]);
    await tx.query('update conversations set assignee_id = $1 where id = $2', [agent.id, earlier.id]);
  });
  assert.is(created.assigneeId, null, 'the other inbox\'s conversation took the second place');
  assert.is(await openCount(agent.id), 2, 'the agent holds two conversations, their capacity');
});

race('an agent removed from the inbox while the drain waited for it gets nothing', async () => {
  const agent = await onlineAgent('Leaving', 10);
  // The first goes to the agent; after its answer no drain of the inbox (the one their coming online started
  // included) is under way on the node.
  const first = (await admin('POST', '/v1/conversations', { inboxId: agent.routed })).body.conversation;
  assert.is(first.assigneeId, agent.id);
  // A change of members, in effect: the inbox row locked against drains, the agent's membership gone. (Changing
  // members locks the row FOR UPDATE, which would hold the creation's own insert too; FOR NO KEY UPDATE lets the
  // creation commit and its drain be the one that waits.)
  const created = await createWhileHeld(agent.routed, '%from inboxes%for no key update%', async (tx) => {
    await tx.query('select 1 from inboxes where id = $1 for no key update', [agent.routed]);
    await tx.query('delete from inbox_members where inbox_id = $1 and user_id = $2', [agent.routed, agent.id]);
  });
  assert.is(created.assigneeId, null, 'no member is left to take it');
  assert.is(await openCount(agent.id), 1, 'only the first, from before the change');
});

race.run();
