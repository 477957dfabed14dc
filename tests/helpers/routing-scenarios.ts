// Routing scenarios run on one node and across three (each socket on its own node where there are three):
// the grace period, skills with their fallback, weighted capacity, wrap-up, the live queue and whispers.
// Servers must run with ROUTING_TICK_SECONDS=1.
import * as assert from 'uvu/assert';
import { signedInbound } from './conversations.ts';
import { httpClient, type Call } from './http.ts';
import { seedTenant, type SeededTenant } from './seed.ts';
import { collect, connect, ok, request, waitFor, type ClientSocket } from './sockets.ts';
import { until } from './wait.ts';

export const ROUTING_ENV = { ROUTING_TICK_SECONDS: '1' };

interface Person { id: string; token: string }

export class RoutingWorld {
  readonly urls: string[];
  readonly call: Call;
  readonly sockets: ClientSocket[] = [];
  t!: SeededTenant;
  #node = 0;

  constructor(urls: string[]) {
    this.urls = urls;
    this.call = httpClient(urls[0]);
  }

  /** A supervisor's socket that hears every presence change of the tenant. */
  watcher!: ClientSocket;

  async seed(name: string): Promise<void> {
    this.t = await seedTenant(this.call, name);
    this.watcher = await this.online(this.t.supervisorToken, 0);
  }

  admin(method: string, path: string, body?: unknown) {
    return this.call(method, path, { token: this.t.adminToken, body });
  }

  async person(name: string, extra: Record<string, unknown> = {}): Promise<Person> {
    const res = await this.admin('POST', '/v1/users', { name, role: 'agent', ...extra });
    assert.is(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.user.id, token: res.body.token };
  }

  async inbox(memberIds: string[], settings: Record<string, unknown>): Promise<string> {
    const res = await this.admin('POST', '/v1/inboxes', { name: `Routing ${Math.random().toString(36).slice(2, 6)}`, channel: 'chat', autoAssign: true, memberIds, ...settings });
    assert.is(res.status, 201, JSON.stringify(res.body));
    return res.body.inbox.id;
  }

  /** A socket on the next node in turn (online presence for a person). */
  async online(token: string, node?: number): Promise<ClientSocket> {
    const url = this.urls[node ?? this.#node++ % this.urls.length];
    const s = await connect(url, token);
    this.sockets.push(s);
    return s;
  }

  async conversation(inboxId: string, extra: Record<string, unknown> = {}) {
    const res = await this.admin('POST', '/v1/conversations', { inboxId, ...extra });
    assert.is(res.status, 201, JSON.stringify(res.body));
    return res.body.conversation as { id: string; assigneeId: string | null; requiredSkills: string[]; language: string | null };
  }

  async history(conversationId: string): Promise<{ type: string; assigneeId: string | null; previousAssigneeId: string | null; reason: string | null }[]> {
    return (await this.admin('GET', `/v1/conversations/${conversationId}/assignments`)).body.assignments;
  }

  async assigneeOf(conversationId: string): Promise<string | null> {
    return (await this.admin('GET', `/v1/conversations/${conversationId}`)).body.conversation.assigneeId;
  }

  /** Connects the person and waits until the tenant hears them online (round robin reads that presence). */
  async onlineAs(person: Person): Promise<ClientSocket> {
    const announced = waitFor<{ userId: string; status: string }>(this.watcher, 'presence', (p) => p.userId === person.id && p.status === 'online');
    const s = await this.online(person.token);
    await announced;
    return s;
  }

  close(): void {
    for (const s of this.sockets) s.close();
  }
}

type AssignmentEvent = { conversationId: string; assigneeId: string | null; previousAssigneeId: string | null; type: string };

/** An agent who drops and returns within the grace keeps their work; one who stays away loses it, and history says why. */
export async function graceScenario(w: RoutingWorld): Promise<void> {
  const [a, b, c] = [await w.person('Grace A'), await w.person('Grace B'), await w.person('Grace C')];
  const inboxId = await w.inbox([a.id, b.id, c.id], { reassignAfterSeconds: 2 });
  const watcher = await w.online(w.t.supervisorToken);
  let aSocket = await w.onlineAs(a);
  const x = await w.conversation(inboxId);
  assert.is(x.assigneeId, a.id, 'only A online: A gets X');
  const cSocket = await w.onlineAs(c);
  const y = await w.conversation(inboxId);
  assert.is(y.assigneeId, c.id, 'C never had one: C gets Y');
  await w.onlineAs(b);

  const events = collect<AssignmentEvent>(watcher, 'assignment');
  // A drops and comes straight back (another node, where there are several); C drops for good.
  const offline = (who: Person) => waitFor<{ userId: string; status: string }>(w.watcher, 'presence', (p) => p.userId === who.id && p.status === 'offline');
  const aGone = offline(a);
  aSocket.close();
  await aGone;
  aSocket = await w.onlineAs(a);
  const cGone = offline(c);
  cSocket.close();
  await cGone;
  const movedAt = Date.now();
  const toB = await waitFor<AssignmentEvent>(watcher, 'assignment', (e) => e.conversationId === y.id && e.type === 'auto_round_robin', 8_000);
  assert.is(toB.assigneeId, b.id, 'Y went to B through round robin');
  assert.ok(Date.now() - movedAt >= 1_500, 'not before the grace period');
  events.stop();
  const forY = events.items.filter((e) => e.conversationId === y.id);
  assert.equal(forY.map((e) => e.type), ['reassign_offline', 'auto_round_robin']);
  assert.equal(forY.map((e) => e.previousAssigneeId), [c.id, null]);
  const history = await w.history(y.id);
  const why = history.find((h) => h.type === 'reassign_offline');
  assert.ok(why, 'history has the reassign_offline entry');
  assert.is(why!.previousAssigneeId, c.id);
  assert.match(why!.reason ?? '', /offline for more than 2 s/);
  // The same sweep saw A: back within the grace, A keeps X.
  assert.is(await w.assigneeOf(x.id), a.id);
  assert.not.ok(events.items.some((e) => e.conversationId === x.id), 'nothing happened to X');
  assert.not.ok((await w.history(x.id)).some((h) => h.type === 'reassign_offline'));
  void aSocket;
}

/** Round robin picks agents with the skills and language; a conversation nobody can take goes to anyone after the fallback. */
export async function skillsScenario(w: RoutingWorld): Promise<void> {
  const generalist = await w.person('Skills generalist');
  const expert = await w.person('Skills expert', { skills: ['Billing'], languages: ['FR'] });
  // The generalist comes first in member order: without skills they would be offered everything first.
  const inboxId = await w.inbox([generalist.id, expert.id], { skillFallbackSeconds: 2 });
  const watcher = await w.online(w.t.supervisorToken);
  await w.onlineAs(generalist);
  await w.onlineAs(expert);
  const french = await w.conversation(inboxId, { requiredSkills: ['billing'], language: 'fr' });
  assert.equal(french.requiredSkills, ['billing']);
  assert.is(french.assigneeId, expert.id, 'the one with billing and French');
  const plain = await w.conversation(inboxId);
  assert.is(plain.assigneeId, generalist.id, 'no requirement: next in turn');
  const legal = await w.conversation(inboxId, { requiredSkills: ['legal'] });
  assert.is(legal.assigneeId, null, 'nobody has legal: it waits');
  const createdAt = Date.now();
  const fallback = await waitFor<AssignmentEvent>(watcher, 'assignment', (e) => e.conversationId === legal.id, 8_000);
  assert.ok(Date.now() - createdAt >= 1_500, 'only after the fallback wait');
  assert.is(fallback.type, 'auto_round_robin');
  assert.ok([generalist.id, expert.id].includes(fallback.assigneeId!));
  // An inbox default applies when the conversation names none.
  const frenchInbox = await w.inbox([generalist.id, expert.id], { defaultLanguage: 'fr' });
  const byDefault = await w.conversation(frenchInbox);
  assert.is(byDefault.language, 'fr');
  assert.is(byDefault.assigneeId, expert.id);
}

/** An inbox's keyword rules give a new inbound thread its skills and language from the first message, and so its agent. */
export async function rulesScenario(w: RoutingWorld): Promise<void> {
  const generalist = await w.person('Rules generalist');
  const expert = await w.person('Rules expert', { skills: ['billing', 'vip'], languages: ['fr'] });
  const created = await w.admin('POST', '/v1/inboxes', {
    name: 'Rules', channel: 'email', autoAssign: true, memberIds: [generalist.id, expert.id], defaultSkills: ['vip'],
    routingRules: [{ keywords: ['facture', 'invoice'], skills: ['Billing'] }, { keywords: ['bonjour'], language: 'FR' }],
  });
  assert.is(created.status, 201, JSON.stringify(created.body));
  const { inbox, webhookSecret } = created.body;
  assert.equal(inbox.routingRules, [{ keywords: ['facture', 'invoice'], attributes: {}, skills: ['billing'], language: null }, { keywords: ['bonjour'], attributes: {}, skills: [], language: 'fr' }]);
  await w.onlineAs(generalist);
  await w.onlineAs(expert);
  const conversationOf = async (externalId: string, body: string) => {
    const res = await signedInbound(w.call, inbox.id, webhookSecret, { externalId, from: { handle: `${externalId}@example.com` }, body });
    assert.is(res.status, 202, JSON.stringify(res.body));
    return (await w.admin('GET', `/v1/conversations/${res.body.conversationId}`)).body.conversation;
  };
  const billing = await conversationOf('rule-1', 'Bonjour, ma FACTURE de mars est fausse');
  assert.equal([...billing.requiredSkills].sort(), ['billing', 'vip'], 'the default kept, the rule\'s skill added');
  assert.is(billing.language, 'fr');
  assert.is(billing.assigneeId, expert.id, 'only the expert has billing, vip and French');
  // "invoiced" is not the keyword "invoice": whole words only.
  const other = await conversationOf('rule-2', 'I was invoiced twice');
  assert.equal(other.requiredSkills, ['vip']);
  assert.is(other.language, null);
  // Rules act once, on the thread's first message: a later message of the same contact changes nothing.
  const again = await signedInbound(w.call, inbox.id, webhookSecret, { externalId: 'rule-2b', from: { handle: 'rule-2@example.com' }, body: 'facture' });
  assert.is(again.body.conversationId, other.id);
  assert.equal((await w.admin('GET', `/v1/conversations/${other.id}`)).body.conversation.requiredSkills, ['vip']);
  // A rule giving nothing, or without keywords, is refused and changes nothing.
  for (const routingRules of [[{ keywords: ['x'] }], [{ keywords: [], skills: ['a'] }], [{ keywords: ['x'], skills: ['a'], tenantId: 'x' }]]) {
    const bad = await w.admin('PATCH', `/v1/inboxes/${inbox.id}`, { routingRules });
    assert.is(bad.status, 400, JSON.stringify(routingRules));
    assert.is(bad.body.error.code, 'VALIDATION');
  }
  const patched = await w.admin('PATCH', `/v1/inboxes/${inbox.id}`, { routingRules: [] });
  assert.equal(patched.body.inbox.routingRules, []);
  const plain = await conversationOf('rule-3', 'Bonjour, facture');
  assert.equal(plain.requiredSkills, ['vip'], 'rules removed: the default alone');
}

/** Capacity counts weighted load: capacity 1 holds two conversations of weight 0.5; the queue shows the figures. */
export async function weightAndQueueScenario(w: RoutingWorld): Promise<void> {
  const d = await w.person('Weighted D', { capacity: 1 });
  const inboxId = await w.inbox([d.id], { conversationWeight: 0.5, slaPolicyId: w.t.policyId });
  const supervisor = await w.online(w.t.supervisorToken);
  await w.onlineAs(d);
  const one = await w.conversation(inboxId);
  const two = await w.conversation(inboxId);
  assert.equal([one.assigneeId, two.assigneeId], [d.id, d.id]);
  const updated = waitFor<{ inboxes: { inboxId: string; waiting: { conversationId: string }[] }[] }>(supervisor, 'queue:updated',
    (q) => q.inboxes.some((i) => i.inboxId === inboxId && i.waiting.length === 1), 1_000);
  const createdAt = Date.now();
  const three = await w.conversation(inboxId, { requiredSkills: [] });
  assert.is(three.assigneeId, null, 'capacity 1 is full at 0.5 + 0.5');
  await updated;
  assert.ok(Date.now() - createdAt < 1_000, 'queue:updated within 1 s');

  const queue = (await w.call('GET', '/v1/queue', { token: w.t.supervisorToken })).body;
  const mine = queue.inboxes.find((i: { inboxId: string }) => i.inboxId === inboxId);
  assert.is(mine.conversationWeight, 0.5);
  assert.is(mine.waiting.length, 1);
  assert.is(mine.waiting[0].conversationId, three.id);
  assert.ok(mine.waiting[0].waitingSeconds >= 0 && mine.waiting[0].waitingSeconds < 60);
  assert.is(mine.waiting[0].slaRisk, 'ok', 'the seeded default policy: 30 minutes to first response');
  assert.equal(mine.agents, [{ userId: d.id, name: 'Weighted D', presence: 'online', load: 1, capacity: 1, wrapUpUntil: null }]);
  assert.is((await w.call('GET', '/v1/queue', { token: w.t.agentToken })).status, 403, 'supervisors and admins only');
}

type QueuePayload = { inboxes: { inboxId: string; waiting: { conversationId: string }[] }[] };

/**
 * Changes on every node within a burst: supervisors get one recomputed queue per window for the whole tenant
 * (not one per node per window), and the last one holds every change of the burst.
 */
export async function queueWindowScenario(w: RoutingWorld): Promise<void> {
  const inboxId = await w.inbox([], {}); // nobody to take them: every conversation waits
  const supervisor = await w.online(w.t.supervisorToken);
  // Heard from before the first creation: the update holding them all may come while the last round still runs.
  const heard = collect<QueuePayload>(supervisor, 'queue:updated');
  const calls = w.urls.map((url) => httpClient(url));
  const startedAt = Date.now();
  const created: string[] = [];
  // Sixteen rounds, 60 ms apart, of one creation on each node at once.
  for (let round = 0; round < 16; round++) {
    const answers = await Promise.all(calls.map((call) => call('POST', '/v1/conversations', { token: w.t.adminToken, body: { inboxId } })));
    for (const a of answers) { assert.is(a.status, 201, JSON.stringify(a.body)); created.push(a.body.conversation.id); }
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  const holdsAll = (q: QueuePayload) => q.inboxes.find((i) => i.inboxId === inboxId)?.waiting.length === created.length;
  const all = await until(() => heard.items.find(holdsAll), 5_000, 'a queue:updated holding every conversation');
  const elapsed = Date.now() - startedAt;
  heard.stop();
  assert.equal(new Set(all.inboxes.find((i) => i.inboxId === inboxId)!.waiting.map((x) => x.conversationId)), new Set(created));
  // One recomputation per 250 ms window at most, whichever node saw the change (two more for the edges).
  assert.ok(heard.items.length <= Math.ceil(elapsed / 250) + 2, `${heard.items.length} queue:updated in ${elapsed} ms`);
}

/** After resolving, an agent is not auto-assigned in that inbox until the wrap-up is over. */
export async function wrapUpScenario(w: RoutingWorld): Promise<void> {
  const e = await w.person('Wrap E');
  const inboxId = await w.inbox([e.id], { wrapUpSeconds: 2 });
  const watcher = await w.online(w.t.supervisorToken);
  const eSocket = await w.onlineAs(e);
  const first = await w.conversation(inboxId);
  assert.is(first.assigneeId, e.id);
  await ok(eSocket, 'conversation:status', { conversationId: first.id, status: 'resolved' });
  const resolvedAt = Date.now();
  const second = await w.conversation(inboxId);
  assert.is(second.assigneeId, null, 'E is wrapping up');
  const queue = (await w.call('GET', '/v1/queue', { token: w.t.supervisorToken })).body;
  const agent = queue.inboxes.find((i: { inboxId: string }) => i.inboxId === inboxId).agents[0];
  assert.type(agent.wrapUpUntil, 'string');
  const assigned = await waitFor<AssignmentEvent>(watcher, 'assignment', (ev) => ev.conversationId === second.id, 8_000);
  assert.is(assigned.assigneeId, e.id, 'E takes it once the wrap-up is over');
  assert.ok(Date.now() - resolvedAt >= 1_500, 'not during the wrap-up');
}

/** A whisper reaches its addressee, its author and supervisors; another agent in the room neither hears nor reads it. */
export async function whisperScenario(w: RoutingWorld): Promise<void> {
  const [author, addressee, bystander] = [await w.person('Whisper author'), await w.person('Whisper addressee'), await w.person('Whisper bystander')];
  const inboxId = await w.inbox([], {});
  const conversation = await w.conversation(inboxId);
  const sockets = { author: await w.online(author.token), addressee: await w.online(addressee.token), bystander: await w.online(bystander.token), supervisor: await w.online(w.t.supervisorToken) };
  for (const s of Object.values(sockets)) await ok(s, 'conversation:join', { conversationId: conversation.id });
  const heard = Object.fromEntries(Object.entries(sockets).map(([who, s]) => [who, collect<{ message: { body: string } }>(s, 'message:new')]));
  const bad = await request(sockets.author, 'message:send', { conversationId: conversation.id, clientMessageId: 'w0', body: 'x', whisperTo: addressee.id });
  assert.is((bad as { error: { code: string } }).error.code, 'VALIDATION', 'a whisper must be internal');
  const isWhisper = (e: { message: { clientMessageId: string } }) => e.message.clientMessageId === 'w1';
  const delivered = Promise.all([waitFor(sockets.addressee, 'message:new', isWhisper), waitFor(sockets.supervisor, 'message:new', isWhisper)]);
  const whisper = (await ok(sockets.author, 'message:send', { conversationId: conversation.id, clientMessageId: 'w1', body: 'psst, take this one', direction: 'internal', whisperTo: addressee.id })).message;
  assert.is(whisper.whisperToId, addressee.id);
  await delivered;
  // A message after it, which everyone hears: once the bystander has it, the whisper would have come first.
  const after = waitFor(sockets.bystander, 'message:new', (e: { message: { clientMessageId: string } }) => e.message.clientMessageId === 'w2');
  await ok(sockets.author, 'message:send', { conversationId: conversation.id, clientMessageId: 'w2', body: 'for everyone', direction: 'internal' });
  await after;
  for (const h of Object.values(heard)) h.stop();
  assert.not.ok(heard.bystander.items.some((e) => e.message.body.includes('psst')), 'the bystander heard the whisper');
  const read = async (token: string) => JSON.stringify((await w.call('GET', `/v1/conversations/${conversation.id}/messages`, { token })).body);
  assert.not.match(await read(bystander.token), 'psst');
  assert.match(await read(addressee.token), 'psst');
  assert.match(await read(w.t.supervisorToken), 'psst');
  const synced = await ok(sockets.bystander, 'conversation:sync', { conversationId: conversation.id, afterSeq: 0 });
  assert.not.match(JSON.stringify(synced), 'psst');
  const bad2 = await w.call('POST', `/v1/conversations/${conversation.id}/messages`, { token: author.token, body: { clientMessageId: 'w3', body: 'x', direction: 'internal', whisperTo: crypto.randomUUID() } });
  assert.is(bad2.status, 404, 'a whisper to nobody');
}
