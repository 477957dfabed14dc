// Users: create (with their token or bot key), list with presence, read, update, issue a new credential,
// revoke credentials, list and revoke a bot's keys; a person refreshes their token.
import type { FastifyInstance } from 'fastify';
import { createUserSchema, updateUserSchema } from '../users/users.schemas.ts';
import { createUser, getUser, issueCredential, listUsersWithPresence, toUserDto, updateUser } from '../users/users.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { listKeys, refreshToken, revokeCredentials, revokeKey } from '../users/credentials.service.ts';
import { AppError } from '../errors.ts';
import { isUuid } from '../util/uuid.ts';

export function userRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const presenceOf = async (tenantId: string, userId: string) =>
    (await deps.presence.statusOf(tenantId, [userId])).get(userId) ?? 'offline';

  app.post('/v1/users', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const input = createUserSchema.parse(request.body);
    const { user, token } = await createUser(em, deps.tokens, principal, input);
    return reply.status(201).send({ user: toUserDto(user, 'offline'), token });
  });

  app.get('/v1/users', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { users: await listUsersWithPresence(em, deps.presence, principal.tenantId) };
  });

  app.get('/v1/users/:id', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const user = await getUser(em, idParam(request, 'user'));
    return { user: toUserDto(user, await presenceOf(principal.tenantId, user.id)) };
  });

  app.patch('/v1/users/:id', async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const id = idParam(request, 'user');
    const user = await updateUser(em, deps.bus, deps.routing, principal, id, updateUserSchema.parse(request.body));
    return { user: toUserDto(user, await presenceOf(principal.tenantId, user.id)) };
  });

  // A new token for a person, or a new API key for a bot: how an admin hands out credentials later.
  app.post('/v1/users/:id/token', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const user = await getUser(em, idParam(request, 'user'));
    const token = await issueCredential(em, deps.tokens, user);
    return reply.status(201).send({ user: toUserDto(user, await presenceOf(principal.tenantId, user.id)), token });
  });

  // Revokes every credential of the user (a person's tokens so far, a bot's keys); their sockets close on every node.
  app.post('/v1/users/:id/revoke', async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { user, revokedAt } = await revokeCredentials(em, deps.bus, principal, idParam(request, 'user'));
    return { user: toUserDto(user, await presenceOf(principal.tenantId, user.id)), revokedAt: revokedAt.toISOString() };
  });

  app.get('/v1/users/:id/keys', async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return { keys: await listKeys(em, idParam(request, 'bot')) };
  });

  app.delete('/v1/users/:id/keys/:keyId', async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const userId = idParam(request, 'bot');
    const { keyId } = request.params as { keyId: string };
    if (!isUuid(keyId)) throw AppError.notFound('key');
    return { key: await revokeKey(em, deps.bus, principal, userId, keyId.toLowerCase()) };
  });

  // A person trades a valid token for a fresh one (access tokens live TOKEN_TTL_SECONDS).
  app.post('/v1/auth/refresh', async (request) => {
    const { principal } = await callContext(deps, request, ['agent+']);
    return refreshToken(deps.tokens, principal);
  });
}
