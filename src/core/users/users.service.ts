// People and bots of a tenant: creation with their credential, listing with presence, updates.
import { tagList } from '../../platform/text/tags.ts';
import { safeText } from '../../platform/text/sanitize.ts';
import type { EntityManager } from '@mikro-orm/core';
import { ApiKey, User } from '../../../entities/index.ts';
import { generateApiKey } from '../../platform/auth/api-keys.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { TokenService } from '../../platform/auth/tokens.ts';
import type { PresenceStatus, UserDto } from '../../contract/dto.ts';
import { AppError } from '../../platform/errors.ts';
import type { PresenceReader } from '../../platform/presence/presence-reader.ts';
import type { Routing } from '../../routing/routing-port.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import type { CreateUserInput, UpdateUserInput } from './users.schemas.ts';

export function toUserDto(user: User, presence: PresenceStatus): UserDto {
  return {
    id: user.id,
    tenantId: user.tenant,
    name: user.name,
    nameSafe: safeText(user.name),
    email: user.email ?? null,
    role: user.role,
    capacity: user.capacity ?? null,
    active: user.active,
    skills: tagList(user.skills),
    languages: tagList(user.languages),
    presence,
    createdAt: user.createdAt.toISOString(),
  };
}

/** A token for a person, a fresh API key for a bot (older keys stay valid until revoked). */
export async function issueCredential(em: EntityManager, tokens: TokenService, user: User): Promise<string> {
  if (user.role === 'bot') {
    const { key, hash, prefix } = generateApiKey();
    em.create(ApiKey, { tenant: user.tenant, user: user.id, keyHash: hash, prefix });
    await em.flush();
    return key;
  }
  return tokens.sign({ userId: user.id, tenantId: user.tenant, role: user.role });
}

export async function createUser(
  em: EntityManager, tokens: TokenService, principal: Principal, input: CreateUserInput,
): Promise<{ user: User; token: string }> {
  return em.transactional(async (tx) => {
    const user = tx.create(User, {
      tenant: principal.tenantId,
      name: input.name,
      email: input.email ?? null,
      role: input.role,
      capacity: input.capacity ?? null,
      skills: input.skills ?? [],
      languages: input.languages ?? [],
    });
    await tx.flush();
    return { user, token: await issueCredential(tx, tokens, user) };
  });
}

export async function getUser(em: EntityManager, id: string): Promise<User> {
  const user = await em.findOne(User, { id });
  if (!user) throw AppError.notFound('user');
  return user;
}

export async function updateUser(
  em: EntityManager, bus: EventBus, routing: Routing, principal: Principal, id: string, input: UpdateUserInput,
): Promise<User> {
  const user = await getUser(em, id);
  const before = { active: user.active, capacity: user.capacity ?? null, role: user.role };
  if (user.id === principal.userId && (input.active === false || (input.role && input.role !== 'admin'))) {
    throw AppError.conflict('an admin cannot demote or deactivate themself');
  }
  if (input.role && (input.role === 'bot') !== (user.role === 'bot')) {
    throw AppError.validation('role: a bot stays a bot and a person stays a person');
  }
  em.assign(user, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.email !== undefined && { email: input.email }),
    ...(input.role !== undefined && { role: input.role }),
    ...(input.capacity !== undefined && { capacity: input.capacity }),
    ...(input.active !== undefined && { active: input.active }),
    ...(input.skills !== undefined && { skills: input.skills }),
    ...(input.languages !== undefined && { languages: input.languages }),
  });
  const deactivated = before.active && !user.active;
  // Credentials issued before a deactivation stay dead: reactivating does not bring them back.
  if (deactivated && user.role !== 'bot') user.tokensRevokedAt = new Date();
  if (deactivated && user.role === 'bot') await em.nativeUpdate(ApiKey, { user: user.id, revokedAt: null }, { revokedAt: new Date() });
  await em.flush();
  // Open sockets take the new role on every node (rooms and permissions re-read).
  if (before.role !== user.role && user.active) bus.publish({ type: 'user.changed', tenantId: principal.tenantId, userId: user.id });
  if (deactivated) {
    bus.publish({ type: 'access.revoked', tenantId: principal.tenantId, userId: user.id, inboxId: null });
    await routing.releaseWork(principal.tenantId, user.id, null, principal.userId, 'user deactivated');
  } else if (user.active && (input.skills || input.languages || !before.active || (before.capacity !== null && (user.capacity == null || user.capacity > before.capacity)))) {
    await routing.capacityFreed(principal.tenantId, user.id);
  }
  return user;
}

export async function listUsersWithPresence(em: EntityManager, presence: PresenceReader, tenantId: string): Promise<UserDto[]> {
  const users = await em.find(User, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const statuses = await presence.statusOf(tenantId, users.map((u) => u.id));
  return users.map((u) => toUserDto(u, statuses.get(u.id) ?? 'offline'));
}
