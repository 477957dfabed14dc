// Inboxes and their ordered members.
import { tagList } from '../../platform/text/tags.ts';
import { ruleList } from '../../routing/routing-rules.ts';
import { randomBytes } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { Inbox, InboxMember, SlaPolicy, Tenant, User } from '../../../entities/index.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import type { InboxDto } from '../../contract/dto.ts';
import { AppError } from '../../platform/errors.ts';
import { inboxRoutingFields } from '../../routing/routing.schemas.ts';
import { csatFields, type CreateInboxInput, type UpdateInboxInput } from './inboxes.schemas.ts';

export function toInboxDto(inbox: Inbox, memberIds: string[]): InboxDto {
  return {
    id: inbox.id,
    name: inbox.name,
    channel: inbox.channel,
    address: inbox.address ?? null,
    connectedAccountId: inbox.connectedAccountId ?? null,
    visibility: inbox.visibility,
    autoAssign: inbox.autoAssign,
    slaPolicyId: inbox.slaPolicy ?? null,
    memberIds,
    reassignAfterSeconds: inbox.reassignAfterSeconds,
    reassignWhenAway: inbox.reassignWhenAway,
    reassignTimeoutMinutes: inbox.reassignTimeoutMinutes == null ? null : Number(inbox.reassignTimeoutMinutes),
    skillFallbackSeconds: inbox.skillFallbackSeconds,
    conversationWeight: Number(inbox.conversationWeight),
    wrapUpSeconds: inbox.wrapUpSeconds,
    defaultSkills: tagList(inbox.defaultSkills),
    defaultLanguage: inbox.defaultLanguage ?? null,
    routingRules: ruleList(inbox.routingRules),
    csatSurvey: inbox.csatSurvey,
    csatMessage: inbox.csatMessage ?? null,
    createdAt: inbox.createdAt.toISOString(),
  };
}

async function assertUsersExist(em: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await em.count(User, { id: { $in: ids } });
  if (found !== ids.length) throw AppError.notFound('user');
}

async function assertPolicyExists(em: EntityManager, id: string | null | undefined): Promise<void> {
  if (id && !(await em.count(SlaPolicy, { id }))) throw AppError.notFound('SLA policy');
}

export async function memberIdsOf(em: EntityManager, inboxId: string): Promise<string[]> {
  const members = await em.find(InboxMember, { inbox: inboxId }, { orderBy: { position: 'asc' } });
  return members.map((m) => m.user);
}

export async function createInbox(
  em: EntityManager, bus: EventBus, principal: Principal, input: CreateInboxInput,
): Promise<{ inbox: Inbox; memberIds: string[] }> {
  const memberIds = input.memberIds ?? [];
  const created = await em.transactional(async (tx) => {
    await assertUsersExist(tx, memberIds);
    await assertPolicyExists(tx, input.slaPolicyId);
    const visibility = input.visibility ?? (await tx.findOneOrFail(Tenant, { id: principal.tenantId })).defaultInboxVisibility;
    const inbox = tx.create(Inbox, {
      tenant: principal.tenantId,
      name: input.name,
      channel: input.channel,
      address: input.address ?? null,
      connectedAccountId: input.connectedAccountId ?? null,
      autoAssign: input.autoAssign ?? false,
      visibility,
      slaPolicy: input.slaPolicyId ?? null,
      ...routingSettings(input),
      webhookSecret: newInboxSecret(),
    });
    memberIds.forEach((user, position) => {
      tx.create(InboxMember, { tenant: principal.tenantId, inbox: inbox.id, user, position });
    });
    await tx.flush();
    return { inbox, memberIds };
  });
  if (memberIds.length) bus.publish({ type: 'inbox.members', tenantId: principal.tenantId, inboxId: created.inbox.id, added: memberIds });
  return created;
}

/** The routing and survey fields given (absent ones are left to the defaults, or unchanged on update). */
function routingSettings(input: Partial<CreateInboxInput>): Partial<Inbox> {
  const keys = [...Object.keys(inboxRoutingFields), ...Object.keys(csatFields)] as (keyof typeof inboxRoutingFields | keyof typeof csatFields)[];
  return Object.fromEntries(keys.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])) as Partial<Inbox>;
}

/** Updates what PATCH may change; answers the inbox with its members. */
export async function updateInbox(em: EntityManager, inboxId: string, input: UpdateInboxInput): Promise<{ inbox: Inbox; memberIds: string[] }> {
  return em.transactional(async (tx) => {
    const inbox = await tx.findOne(Inbox, { id: inboxId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!inbox) throw AppError.notFound('inbox');
    await assertPolicyExists(tx, input.slaPolicyId);
    tx.assign(inbox, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.connectedAccountId !== undefined ? { connectedAccountId: input.connectedAccountId } : {}),
      ...(input.autoAssign !== undefined ? { autoAssign: input.autoAssign } : {}),
      ...(input.slaPolicyId !== undefined ? { slaPolicy: input.slaPolicyId } : {}),
      ...routingSettings(input),
    });
    await tx.flush();
    return { inbox, memberIds: await memberIdsOf(tx, inboxId) };
  });
}

/** A fresh webhook secret: the channel must sign with it from now on. */
export async function rotateSecret(em: EntityManager, id: string): Promise<Inbox> {
  const inbox = await getInbox(em, id);
  inbox.webhookSecret = newInboxSecret();
  await em.flush();
  return inbox;
}

const newInboxSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export async function getInbox(em: EntityManager, id: string): Promise<Inbox> {
  const inbox = await em.findOne(Inbox, { id });
  if (!inbox) throw AppError.notFound('inbox');
  return inbox;
}

/** Replaces the members in the given order; members who stay keep their round-robin history. */
export async function setMembers(
  em: EntityManager, principal: Principal, inboxId: string, memberIds: string[],
): Promise<{ inbox: Inbox; memberIds: string[]; added: string[]; removed: string[] }> {
  return em.transactional(async (tx) => {
    const inbox = await tx.findOne(Inbox, { id: inboxId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!inbox) throw AppError.notFound('inbox');
    await assertUsersExist(tx, memberIds);
    const current = await tx.find(InboxMember, { inbox: inboxId });
    const byUser = new Map(current.map((m) => [m.user, m]));
    const wanted = new Set(memberIds);
    const removed = current.filter((m) => !wanted.has(m.user));
    removed.forEach((m) => tx.remove(m));
    const added: string[] = [];
    memberIds.forEach((user, position) => {
      const existing = byUser.get(user);
      if (existing) existing.position = position;
      else {
        added.push(user);
        tx.create(InboxMember, { tenant: principal.tenantId, inbox: inboxId, user, position });
      }
    });
    await tx.flush();
    return { inbox, memberIds, added, removed: removed.map((m) => m.user) };
  });
}

export async function listInboxes(em: EntityManager): Promise<InboxDto[]> {
  const [inboxes, members] = await Promise.all([
    em.find(Inbox, {}, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(InboxMember, {}, { orderBy: { position: 'asc' } }),
  ]);
  const byInbox = new Map<string, string[]>();
  for (const m of members) byInbox.set(m.inbox, [...(byInbox.get(m.inbox) ?? []), m.user]);
  return inboxes.map((inbox) => toInboxDto(inbox, byInbox.get(inbox.id) ?? []));
}
