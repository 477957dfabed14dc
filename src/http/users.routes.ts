// Users: create (with their token or bot key), list with presence, read, update, issue a new credential,
// revoke credentials, list and revoke a bot's keys; a person refreshes their token.
import type { FastifyInstance } from 'fastify';
import { createUserSchema, updateUserSchema } from '../core/users/users.schemas.ts';
import { createUser, getUser, issueCredential, listUsersWithPresence, toUserDto, updateUser } from '../core/users/users.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { listKeys, refreshToken, revokeCredentials, revokeKey } from '../core/users/credentials.service.ts';
import { z } from 'zod';
import { apiKeySchema, userSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const withToken = z.object({ user: userSchema, token: z.string().describe('a person\'s access token, or a bot\'s API key (shown once)') }).strict();

export function userRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const presenceOf = async (tenantId: string, userId: string) =>
    (await deps.presence.statusOf(tenantId, [userId])).get(userId) ?? 'offline';

  app.post('/v1/users', doc({
    tags: ['users'], summary: 'Create a person (answering their access token) or a bot (answering its API key, shown once)', access: 'admin',
    body: createUserSchema, response: { 201: withToken },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const input = createUserSchema.parse(request.body);
    const { user, token } = await createUser(em, deps.tokens, principal, input);
    return reply.status(201).send({ user: toUserDto(user, 'offline'), token });
  });

  app.get('/v1/users', doc({
    tags: ['users'], summary: 'The tenant\'s people and bots, with presence', access: 'agent+', response: { 200: z.object({ users: z.array(userSchema) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { users: await listUsersWithPresence(em, deps.presence, principal.tenantId) };
  });

  app.get('/v1/users/:id', doc({
    tags: ['users'], summary: 'One user, with presence', access: 'agent+', params: idParams, response: { 200: z.object({ user: userSchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const user = await getUser(em, idParam(request, 'user'));
    return { user: toUserDto(user, await presenceOf(principal.tenantId, user.id)) };
  });

  app.patch('/v1/users/:id', doc({
    tags: ['users'], summary: 'Change a user: name, email, role, capacity, skills, languages, active', description: 'A role change reaches the user\'s open sockets on every node (session:updated); deactivating closes them and ends every token and key issued before.',
    access: 'admin', params: idParams, body: updateUserSchema, response: { 200: z.object({ user: userSchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const id = idParam(request, 'user');
    const user = await updateUser(em, deps.bus, deps.routing, principal, id, updateUserSchema.parse(request.body));
    return { user: toUserDto(user, await presenceOf(principal.tenantId, user.id)) };
  });

  // A new token for a person, or a new API key for a bot: how an admin hands out credentials later.
  app.post('/v1/users/:id/token', doc({
    tags: ['users'], summary: 'A new access token for a person, or a new API key for a bot (older keys stay valid until revoked)', description: 'How an admin hands out a lost or rotated bot key again.',
    access: 'admin', params: idParams, response: { 201: withToken },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const user = await getUser(em, idParam(request, 'user'));
    const token = await issueCredential(em, deps.tokens, user);
    return reply.status(201).send({ user: toUserDto(user, await presenceOf(principal.tenantId, user.id)), token });
  });

  // Revokes every credential of the user (a person's tokens so far, a bot's keys); their sockets close on every node.
  app.post('/v1/users/:id/revoke', doc({
    tags: ['users'], summary: 'Revoke every credential of a user; their sockets close on every node', access: 'admin', params: idParams,
    response: { 200: z.object({ user: userSchema, revokedAt: z.string() }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { user, revokedAt } = await revokeCredentials(em, deps.bus, principal, idParam(request, 'user'));
    return { user: toUserDto(user, await presenceOf(principal.tenantId, user.id)), revokedAt: revokedAt.toISOString() };
  });

  app.get('/v1/users/:id/keys', doc({
    tags: ['users'], summary: 'A bot\'s API keys (prefixes only)', access: 'admin', params: idParams, response: { 200: z.object({ keys: z.array(apiKeySchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return { keys: await listKeys(em, idParam(request, 'bot')) };
  });

  app.delete('/v1/users/:id/keys/:keyId', doc({
    tags: ['users'], summary: 'Revoke one key of a bot; only the sockets opened with it close', access: 'admin',
    params: z.object({ id: z.uuid(), keyId: z.uuid() }), response: { 200: z.object({ key: apiKeySchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const userId = idParam(request, 'bot');
    return { key: await revokeKey(em, deps.bus, principal, userId, idParam(request, 'key', 'keyId')) };
  });

  // A person trades a valid token for a fresh one (access tokens live TOKEN_TTL_SECONDS).
  app.post('/v1/auth/refresh', doc({
    tags: ['users'], summary: 'Trade a valid access token for a fresh one', access: 'a person (bot keys do not expire)',
    response: { 200: z.object({ token: z.string(), expiresAt: z.string() }).strict() },
  }), async (request) => {
    const { principal } = await callContext(deps, request, ['agent+']);
    return refreshToken(deps.tokens, principal);
  });
}
