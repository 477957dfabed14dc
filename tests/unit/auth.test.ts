import { SignJWT, UnsecuredJWT } from 'jose';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { adminKeyMatches } from '../../src/platform/auth/admin-key.ts';
import { generateApiKey, hashApiKey, looksLikeApiKey } from '../../src/platform/auth/api-keys.ts';
import { hasRole, requireRole, type Principal } from '../../src/platform/auth/principal.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';

const SECRET = 'unit-test-secret-0123456789-0123456789';
const claims = { userId: 'u1', tenantId: 't1', role: 'agent' as const };

const tokens = suite('tokens');

tokens('a signed token verifies to its claims', async () => {
  const service = createTokenService(SECRET, 60);
  const before = Date.now();
  const verified = await service.verify(await service.sign(claims));
  assert.ok(verified);
  const { issuedAtMs, expiresAt, ...rest } = verified;
  assert.equal(rest, claims);
  assert.ok(issuedAtMs >= before && issuedAtMs <= Date.now(), 'issued now, to the millisecond');
  assert.is(expiresAt, Math.floor(issuedAtMs / 1000) + 60);
});

tokens('an expired token is refused', async () => {
  const token = await new SignJWT({ tid: 't1', role: 'agent' }).setProtectedHeader({ alg: 'HS256' })
    .setSubject('u1').setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(new TextEncoder().encode(SECRET));
  assert.is(await createTokenService(SECRET, 60).verify(token), null);
});

tokens('a token verified before is refused once it expires', async () => {
  const service = createTokenService(SECRET, 1);
  const token = await service.sign(claims);
  const first = await service.verify(token);
  assert.ok(first, 'valid while fresh');
  assert.ok(await service.verify(token), 'and again (from what the first check learned)');
  // Wait for the clock, not for an event: the expiry is the token's own second.
  while (Date.now() / 1000 < first.expiresAt) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(await service.verify(token), null);
});

tokens('a token altered after a verified one is refused', async () => {
  const service = createTokenService(SECRET, 60);
  const token = await service.sign(claims);
  assert.ok(await service.verify(token));
  const [header, , signature] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ sub: 'u1', tid: 't1', role: 'admin', exp: Math.floor(Date.now() / 1000) + 60, iat: 1 })).toString('base64url');
  assert.is(await service.verify(`${header}.${forged}.${signature}`), null);
});

tokens('a token signed with another secret is refused', async () => {
  const other = createTokenService('another-secret-0123456789-0123456789', 60);
  assert.is(await createTokenService(SECRET, 60).verify(await other.sign(claims)), null);
});

tokens('alg none is refused', async () => {
  const token = new UnsecuredJWT({ tid: 't1', role: 'admin' }).setSubject('u1').setExpirationTime('1h').encode();
  assert.is(await createTokenService(SECRET, 60).verify(token), null);
});

tokens('a token without a human role or expiry is refused', async () => {
  const key = new TextEncoder().encode(SECRET);
  const bot = await new SignJWT({ tid: 't1', role: 'bot' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setExpirationTime('1h').sign(key);
  const noExp = await new SignJWT({ tid: 't1', role: 'agent' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').sign(key);
  const service = createTokenService(SECRET, 60);
  assert.is(await service.verify(bot), null);
  assert.is(await service.verify(noExp), null);
  assert.is(await service.verify('not.a.token'), null);
});

tokens.run();

// ---

const keys = suite('api keys');

keys('a key is random, prefixed, and stored only as its hash', () => {
  const a = generateApiKey();
  const b = generateApiKey();
  assert.ok(looksLikeApiKey(a.key));
  assert.is.not(a.key, b.key);
  assert.is(a.hash, hashApiKey(a.key));
  assert.ok(!a.hash.includes(a.key));
  assert.is(a.hash.length, 64);
});

keys('the admin key comparison accepts only the exact key', () => {
  assert.ok(adminKeyMatches('exact-admin-key-123', 'exact-admin-key-123'));
  assert.not.ok(adminKeyMatches('exact-admin-key-12', 'exact-admin-key-123'));
  assert.not.ok(adminKeyMatches(undefined, 'exact-admin-key-123'));
  assert.not.ok(adminKeyMatches('', 'exact-admin-key-123'));
});

keys.run();

// ---

const roles = suite('roles');
const as = (role: Principal['role']): Principal => ({ kind: role === 'bot' ? 'bot' : 'user', tenantId: 't', userId: 'u', role, name: 'n' });

roles('admin ⊃ supervisor ⊃ agent', () => {
  assert.ok(hasRole(as('admin'), ['agent+']));
  assert.ok(hasRole(as('supervisor'), ['agent+']));
  assert.ok(hasRole(as('admin'), ['supervisor+']));
  assert.not.ok(hasRole(as('agent'), ['supervisor+']));
  assert.not.ok(hasRole(as('supervisor'), ['admin']));
});

roles('bot is separate and only allowed when listed', () => {
  assert.not.ok(hasRole(as('bot'), ['agent+']));
  assert.not.ok(hasRole(as('bot'), ['admin']));
  assert.ok(hasRole(as('bot'), ['agent+', 'bot']));
  assert.throws(() => requireRole(as('agent'), ['admin']), (err: { code?: string }) => err.code === 'FORBIDDEN');
});

roles.run();
