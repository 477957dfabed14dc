// Hostile packets: 10,000 malformed, oversized, deeply nested or binary payloads over every client event
// (and unknown ones) from a seeded generator. The node must not crash, must answer each one that decodes
// with an ack within 1 s, must not grow its heap by 50 MB, and a frame it cannot take (too big, or not
// decodable) closes only the socket that sent it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient } from '../helpers/http.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, type ClientSocket } from '../helpers/sockets.ts';

// A full collection before each heap reading, so that growth means retained memory.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const PACKETS = 10_000;
const SOCKETS = 8;
// 40 packets outstanding at once: more would measure the depth of the test's own queue, not an answer's time.
const IN_FLIGHT_PER_SOCKET = 5;
const ACK_WITHIN_MS = 1000;
const ACCEPTED_WITHIN_MS = 10_000;
const CODES = new Set(['VALIDATION', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED']);

const EVENTS = ['conversation:join', 'conversation:leave', 'message:send', 'typing', 'conversation:read', 'conversation:sync',
  'conversation:assign', 'conversation:status', 'presence:set'];
const UNKNOWN = ['', 'admin:drop', '__proto__', 'constructor', 'hasOwnProperty', 'x'.repeat(5000), 'message:send ', 'MESSAGE:SEND'];

/** mulberry32: the same packets on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(conversationId: string) {
  const random = rng(20261122);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const strings = ['', ' ', '\u0000', '\ud800', '💬', '<script>alert(1)</script>', "'; drop table messages; --", '{{contact.name}}',
    '../../etc/passwd', 'null', '00000000-0000-0000-0000-000000000000', conversationId, conversationId.toUpperCase(), `${conversationId} `];
  const scalars = [null, true, false, 0, -1, 1.5, -0, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY];

  function value(depth: number): unknown {
    const kind = int(depth > 3 ? 3 : 6);
    if (kind === 0) return pick(scalars);
    if (kind === 1) return pick(strings);
    if (kind === 2) return 'x'.repeat(int(3) === 0 ? 70_000 : int(300));
    if (kind === 3) return Array.from({ length: int(5) }, () => value(depth + 1));
    if (kind === 4) return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['conversationId', 'body', 'seq', 'status', 'tenantId', 'authorId', '__proto__', 'constructor', 'a']), value(depth + 1)]));
    return Buffer.from(Array.from({ length: int(64) }, () => int(256)));
  }

  function nested(depth: number): unknown {
    let v: unknown = 'deep';
    for (let i = 0; i < depth; i++) v = int(2) ? [v] : { conversationId: v };
    return v;
  }

  /** A near-valid payload of the event with one field broken or a forbidden key added. */
  function nearValid(event: string): Record<string, unknown> {
    const base: Record<string, unknown> = {
      conversationId, clientMessageId: `fz-${int(1e9)}`, body: 'hello', direction: 'outbound', isTyping: true, seq: 1,
      afterSeq: 0, limit: 10, assigneeId: null, status: 'online',
    };
    const keep: Record<string, string[]> = {
      'conversation:join': ['conversationId'], 'conversation:leave': ['conversationId'], 'typing': ['conversationId', 'isTyping'],
      'message:send': ['conversationId', 'clientMessageId', 'body', 'direction'], 'conversation:read': ['conversationId', 'seq'],
      'conversation:sync': ['conversationId', 'afterSeq', 'limit'], 'conversation:assign': ['conversationId', 'assigneeId'],
      'conversation:status': ['conversationId', 'status'], 'presence:set': ['status'],
    };
    const payload = Object.fromEntries((Object.hasOwn(keep, event) ? keep[event] : ['conversationId']).map((k) => [k, base[k]]));
    const keys = Object.keys(payload);
    const broken = int(4);
    if (broken === 0 && keys.length) payload[pick(keys)] = value(0);
    else if (broken === 1 && keys.length) delete payload[pick(keys)];
    else if (broken === 2) payload[pick(['tenantId', 'authorId', 'userId', 'senderType', 'seq', 'id'])] = pick(strings);
    else payload[pick(keys.length ? keys : ['conversationId'])] = pick(strings.concat(scalars as never[]));
    return payload;
  }

  /** The arguments of one emit (the ack is added by the caller). */
  return (): { event: string; args: unknown[] } => {
    const event = int(10) === 0 ? pick(UNKNOWN) : pick(EVENTS);
    const shape = int(7);
    if (shape === 0) return { event, args: [] };
    if (shape === 1) return { event, args: [value(0), value(0)] };
    if (shape === 2) return { event, args: [nested(200 + int(1800))] };
    if (shape === 3) return { event, args: [Buffer.from(Array.from({ length: int(2048) }, () => int(256)))] };
    if (shape === 4) return { event, args: [value(0)] };
    return { event, args: [nearValid(event)] };
  };
}

let server: TestServer;
let t: SeededTenant;
let conversationId: string;
const open: ClientSocket[] = [];

const fuzz = suite('fuzz');

fuzz.before(async () => {
  // Rates high enough that the flood below is judged on its shape, not cut by the per-socket limits.
  server = await startServer({ SOCKET_SEND_RATE: 1_000_000, SOCKET_TYPING_RATE: 1_000_000 });
  const call = httpClient(server.url);
  t = await seedTenant(call, 'Fuzz');
  conversationId = await newConversation(call, t);
});
fuzz.after(async () => {
  for (const s of open) s.close();
  await server.stop();
});

fuzz('10,000 hostile packets: every decodable one answered within 1 s, no crash, heap growth under 50 MB', async () => {
  const sockets = await Promise.all(Array.from({ length: SOCKETS }, (_, i) => connect(server.url, i % 2 ? t.agentToken : t.botKey)));
  open.push(...sockets);
  const next = generator(conversationId);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  let sent = 0;
  let answeredOk = 0;
  let slowestRefusalMs = 0;
  const errors = new Map<string, number>();
  const late: string[] = [];
  await Promise.all(sockets.flatMap((socket) => Array.from({ length: IN_FLIGHT_PER_SOCKET }, async () => {
    while (sent < PACKETS) {
      sent++;
      // The clients share the server's event loop: yield between packets, so a burst of answers does not turn
      // into a burst of encoding that holds every other answer back (the client's time, not the server's).
      await new Promise(setImmediate);
      const { event, args } = next();
      try {
        const t0 = performance.now();
        // Accepted sends queue behind real work (group commit) and may take longer; refusals may not.
        const answer: any = await (socket as any).timeout(ACCEPTED_WITHIN_MS).emitWithAck(event, ...args);
        const ms = performance.now() - t0;
        if (answer?.ok === true) answeredOk++;
        else if (answer?.ok === false && CODES.has(answer.error?.code) && typeof answer.error.message === 'string') {
          errors.set(answer.error.code, (errors.get(answer.error.code) ?? 0) + 1);
          slowestRefusalMs = Math.max(slowestRefusalMs, ms);
          if (ms > ACK_WITHIN_MS) late.push(`${event}: refused after ${Math.round(ms)} ms`);
        } else late.push(`${event}: unexpected answer ${JSON.stringify(answer).slice(0, 200)}`);
      } catch (err) {
        late.push(`${event.slice(0, 40)} ${JSON.stringify(args).slice(0, 120)}: ${(err as Error).message}`);
      }
    }
  })));
  assert.equal(late.slice(0, 5), [], `${late.length} packets without a proper answer within ${ACK_WITHIN_MS} ms`);
  const answered = answeredOk + [...errors.values()].reduce((a, b) => a + b, 0);
  assert.is(answered, PACKETS);
  assert.ok((errors.get('VALIDATION') ?? 0) > PACKETS / 2, `mostly refused as VALIDATION: ${JSON.stringify([...errors])}`);
  assert.ok(errors.get('NOT_FOUND')! > 0, 'unknown events and ids are NOT_FOUND');
  for (const s of sockets) assert.ok(s.connected, 'decodable packets never cost the sender its socket');
  collectGarbage();
  const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  console.log(`  fuzz: ${PACKETS} packets, ${answeredOk} accepted, refused ${JSON.stringify(Object.fromEntries(errors))}, slowest refusal ${Math.round(slowestRefusalMs)} ms, heap growth ${growthMb.toFixed(1)} MB`);
  assert.ok(growthMb < 50, `heap grew ${growthMb.toFixed(1)} MB`);
  // The node still serves: a fresh socket sends and is answered.
  const after = await connect(server.url, t.agentToken);
  open.push(after);
  const sent2 = await ok(after, 'message:send', { conversationId, clientMessageId: 'after-fuzz', body: 'still here' });
  assert.is(sent2.message.body, 'still here');
});

fuzz('an oversized frame and an undecodable frame close only their own socket', async () => {
  const bystander = await connect(server.url, t.agentToken);
  open.push(bystander);
  await ok(bystander, 'conversation:join', { conversationId });

  for (const frame of ['x'.repeat(2 * 1024 * 1024), '42["message:send",{"conversationId":', '4' + '9'.repeat(30), '42{"not":"an array"}']) {
    const hostile = await connect(server.url, t.agentToken);
    open.push(hostile);
    const closed = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket kept open after a ${frame.length}-byte bad frame`)), 5000);
      hostile.once('disconnect', (reason) => { clearTimeout(timer); resolve(reason); });
    });
    // Written straight to the websocket, past the client's encoder.
    (hostile as any).io.engine.transport.ws.send(frame.length > 1000 ? `42["message:send",{"body":"${frame}"}]` : frame);
    const reason = await closed;
    assert.ok(['transport close', 'transport error', 'io server disconnect'].includes(reason), reason);
  }
  assert.ok(bystander.connected);
  const answer = await ok(bystander, 'message:send', { conversationId, clientMessageId: 'bystander', body: 'unaffected' });
  assert.is(answer.message.body, 'unaffected');
});

fuzz('a U+0000 anywhere in a payload is VALIDATION over sockets and HTTP and writes nothing', async () => {
  const call = httpClient(server.url);
  const before = await rowCounts(server.app.orm);
  const socket = await connect(server.url, t.agentToken);
  open.push(socket);
  const answer: any = await (socket as any).timeout(5000).emitWithAck('message:send', { conversationId, clientMessageId: 'nul', body: 'a\u0000b' });
  assert.is(answer.error?.code, 'VALIDATION');
  const http = await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 'nul2', body: 'a\u0000b' } });
  assert.is(http.status, 400);
  assert.is(http.body.error.code, 'VALIDATION');
  const contact = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: 'x\u0000', identities: [] } });
  assert.is(contact.body.error.code, 'VALIDATION');
  assert.equal(await rowCounts(server.app.orm), before);
});

fuzz.run();
