// Tokens and keys after issue: bad tokens of every kind fail the handshake; a person refreshes a token;
// revoking a person's sessions or a bot's key cuts exactly their sockets and refuses the old credential.
import { SignJWT, UnsecuredJWT } from 'jose';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, TEST_JWT_SECRET, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let other: SeededTenant;
const open: ClientSocket[] = [];

const credentials = suite('credentials');

async function opened(token: string): Promise<ClientSocket> {
  const s = await connect(server.url, token);
  open.push(s);
  return s;
}

function disconnected(s: ClientSocket, withinMs = 5000): Promise<void> {
  if (!s.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${withinMs} ms`)), withinMs);
    s.once('disconnect', () => { clearTimeout(timer); resolve(); });
  });
}

async function refused(token: string): Promise<void> {
  const error = await connect(server.url, token).then((s) => { s.close(); return null; }, (err: Error) => err);
  assert.ok(error, 'the handshake was refused');
  assert.is(error.message, 'UNAUTHORIZED');
}

credentials.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Creds');
  other = await seedTenant(call, 'Other');
});
credentials.after(async () => {
  for (const s of open) s.close();
  await server.stop();
});

credentials('expired, badly signed, alg none and foreign-tenant tokens all fail the handshake (query-string tokens: realtime.test.ts)', async () => {
  const secret = new TextEncoder().encode(TEST_JWT_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const signed = (claims: Record<string, unknown>, sub: string, exp: number, key = secret) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now - 10).setExpirationTime(exp).sign(key);
  const [agent] = (await call('GET', '/v1/users', { token: t.adminToken })).body.users.filter((u: any) => u.role === 'agent');
  await refused(await signed({ tid: t.tenantId, role: 'agent' }, agent.id, now - 1));
  await refused(await signed({ tid: t.tenantId, role: 'agent' }, agent.id, now + 600, new TextEncoder().encode('another-secret-0123456789-0123456789')));
  await refused(new UnsecuredJWT({ tid: t.tenantId, role: 'agent' }).setSubject(agent.id).setExpirationTime(now + 600).encode());
  // A well-signed token naming this user in another tenant.
  await refused(await signed({ tid: other.tenantId, role: 'admin' }, agent.id, now + 600));
  await refused(`${t.agentToken.slice(0, -2)}xx`);
});

credentials('a person trades a valid token for a fresh one; bots and bad tokens cannot', async () => {
  const res = await call('POST', '/v1/auth/refresh', { token: t.agentToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  const ttlHours = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
  assert.ok(ttlHours > 11.9 && ttlHours <= 12, `12-hour tokens (${ttlHours})`);
  assert.is((await call('GET', '/v1/users', { token: res.body.token })).status, 200);
  const s = await opened(res.body.token);
  assert.ok(s.connected);
  assert.is((await call('POST', '/v1/auth/refresh', { token: t.botKey })).body.error.code, 'FORBIDDEN');
  assert.is((await call('POST', '/v1/auth/refresh', { token: 'nonsense' })).status, 401);
  assert.is((await call('POST', '/v1/auth/refresh')).status, 401);
});

credentials('revoking a person cuts all their sockets at once and refuses their old tokens; a new token works', async () => {
  const person = (await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Revoked Rita', role: 'agent' } })).body;
  const refreshed = (await call('POST', '/v1/auth/refresh', { token: person.token })).body.token;
  const sockets = [await opened(person.token), await opened(person.token), await opened(refreshed)];
  const bystander = await opened(t.agentToken);
  const cuts = sockets.map((s) => disconnected(s));
  const res = await call('POST', `/v1/users/${person.user.id}/revoke`, { token: t.adminToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  await Promise.all(cuts);
  assert.ok(bystander.connected, 'others keep their sockets');
  await refused(person.token);
  await refused(refreshed);
  assert.is((await call('GET', '/v1/users', { token: person.token })).status, 401);
  const fresh = (await call('POST', `/v1/users/${person.user.id}/token`, { token: t.adminToken })).body.token;
  assert.ok((await opened(fresh)).connected, 'a token issued after the revocation works');
  // Admins only; never one's own.
  assert.is((await call('POST', `/v1/users/${person.user.id}/revoke`, { token: t.supervisorToken })).status, 403);
  const [self] = (await call('GET', '/v1/users', { token: t.adminToken })).body.users.filter((u: any) => u.role === 'admin');
  assert.is((await call('POST', `/v1/users/${self.id}/revoke`, { token: t.adminToken })).status, 409);
  assert.is((await call('POST', `/v1/users/${person.user.id}/revoke`, { token: other.adminToken })).status, 404);
});

credentials('revoking one bot key cuts only the sockets opened with it', async () => {
  const second = (await call('POST', `/v1/users/${t.botId}/token`, { token: t.adminToken })).body.token;
  const keys = (await call('GET', `/v1/users/${t.botId}/keys`, { token: t.adminToken })).body.keys;
  assert.is(keys.length, 2);
  assert.ok(keys.every((k: any) => k.revokedAt === null && second.startsWith(k.prefix) !== t.botKey.startsWith(k.prefix)));
  const first = keys.find((k: any) => t.botKey.startsWith(k.prefix));
  const withFirst = await opened(t.botKey);
  const withSecond = await opened(second);
  const cut = disconnected(withFirst);
  const res = await call('DELETE', `/v1/users/${t.botId}/keys/${first.id}`, { token: t.adminToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.key.revokedAt);
  await cut;
  await refused(t.botKey);
  assert.ok(withSecond.connected);
  assert.equal(await ok(withSecond, 'presence:set', { status: 'online' }), {});
  assert.is((await call('DELETE', `/v1/users/${t.botId}/keys/${first.id}`, { token: other.adminToken })).status, 404);
  assert.is((await call('GET', `/v1/users/${t.botId}/keys`, { token: t.agentToken })).status, 403);
});

credentials.run();
