// Round robin under a burst: 1,000 conversations created at once over three nodes of an auto-assigning
// inbox with 10 online agents. Assignments/s, time from request to the `assignment` event (p50, p99),
// and the spread of the load (most minus fewest per agent). No raw baseline: this is Switchboard's own.
import type { Socket } from 'socket.io-client';
import { api, benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { percentile, startServerProcess } from './lib/server-process.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
const AGENTS = 10;

const db = await benchDatabase('assign');
const nodes = await Promise.all([0, 1, 2].map(() => startServerProcess({ DATABASE_URL: db.url, REDIS_URL })));
const open: Socket[] = [];
try {
  const t = await benchTenant(nodes[0].url, AGENTS, { capacity: CONVERSATIONS });
  const inbox = await t.post('/v1/inboxes', { name: 'Burst', channel: 'chat', autoAssign: true, memberIds: t.agents.map((a) => a.id) });
  const watcher = await connectSocket(nodes[0].url, t.admin);
  open.push(watcher);
  const online = new Set<string>();
  const allOnline = new Promise<void>((resolve) => watcher.on('presence', (e: any) => {
    if (e.status === 'online') online.add(e.userId);
    if (online.size === AGENTS) resolve();
  }));
  for (const [i, a] of t.agents.entries()) open.push(await connectSocket(nodes[i % 3].url, a.token));
  await allOnline;

  const assignedAt = new Map<string, number>();
  const assignedWallAt = new Map<string, number>();
  const perAgent = new Map<string, number>();
  let done!: () => void;
  const allAssigned = new Promise<void>((resolve) => { done = resolve; });
  watcher.on('assignment', (e: any) => {
    if (e.type !== 'auto_round_robin' || assignedAt.has(e.conversationId)) return;
    assignedAt.set(e.conversationId, performance.now());
    assignedWallAt.set(e.conversationId, Date.now());
    perAgent.set(e.assigneeId, (perAgent.get(e.assigneeId) ?? 0) + 1);
    if (assignedAt.size === CONVERSATIONS) done();
  });
  const posts = nodes.map((n) => api(n.url));
  const started = performance.now();
  const requested = await Promise.all(Array.from({ length: CONVERSATIONS }, async (_, i) => {
    const t0 = performance.now();
    const res = await posts[i % 3]('/v1/conversations', { inboxId: inbox.inbox.id }, t.admin);
    return { id: res.conversation.id as string, t0, t1: performance.now(), createdAt: Date.parse(res.conversation.createdAt) };
  }));
  const createdMs = Math.round(Math.max(...requested.map((r) => r.t1)) - started);
  await Promise.race([allAssigned, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  const elapsed = (Math.max(...assignedAt.values()) - started) / 1000;
  const latencies = requested.filter((r) => assignedAt.has(r.id)).map((r) => assignedAt.get(r.id)! - r.t0).sort((a, b) => a - b);
  // From the conversation's commit (its createdAt, same machine clock) to the assignment event: the queue's own wait.
  const fromCreated = requested.filter((r) => assignedWallAt.has(r.id)).map((r) => assignedWallAt.get(r.id)! - r.createdAt).sort((a, b) => a - b);
  const counts = t.agents.map((a) => perAgent.get(a.id) ?? 0);
  const result = {
    bench: 'assign', nodes: 3, agents: AGENTS, conversations: CONVERSATIONS, assigned: assignedAt.size,
    assignmentsPerSecond: Math.round(assignedAt.size / elapsed), p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99),
    fromCreatedP50Ms: percentile(fromCreated, 0.5), fromCreatedP99Ms: percentile(fromCreated, 0.99), createdMs, perAgent: counts, spread: Math.max(...counts) - Math.min(...counts),
  };
  console.log(JSON.stringify(result));
  console.log(`assign: ${result.assigned}/${CONVERSATIONS} assigned over 3 nodes at ${result.assignmentsPerSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms from request to assignment (all created in ${createdMs} ms; from the conversation's createdAt p50 ${result.fromCreatedP50Ms} ms, p99 ${result.fromCreatedP99Ms} ms), spread ${result.spread} (${counts.join('/')})`);
} finally {
  for (const s of open) s.close();
  for (const n of nodes) n.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
