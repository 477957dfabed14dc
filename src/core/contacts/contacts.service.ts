// Contacts and the channel identities that resolve to them: create, read, list and search, add an identity,
// merge two contacts, and the resolution of an inbound handle to its contact.
import { safeText } from '../../platform/text/sanitize.ts';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { fromJson } from '../../platform/db/rows.ts';
import { attributeChangeSchema, attributeFilters, attributeFilterSchema, changedAttributes } from '../attributes/attributes.service.ts';
import { Activity, Contact, Identity } from '../../../entities/index.ts';
import { CHANNELS } from '../../../entities/enums.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { CallContext } from '../../platform/call-context.ts';
import type { Channel, ContactDto, IdentityDto } from '../../contract/dto.ts';
import { sql } from '../../platform/db/sql.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { nameSchema } from '../../platform/text/display-name.ts';
import { handleKind, normalizeEmail, normalizeHandle, normalizePhone } from '../../platform/text/handles.ts';
import { pageLimit } from '../../platform/util/paging.ts';
import { newestFirst } from '../../platform/db/newest-first.ts';

export const identityInputSchema = z.object({ channel: z.enum(CHANNELS), handle: z.string().trim().min(1).max(320) }).strict();

export const createContactSchema = z.object({
  name: nameSchema(200),
  email: z.string().trim().toLowerCase().email().max(320).nullish(),
  phone: z.string().trim().min(3).max(50).nullish(),
  companyId: z.string().trim().min(1).max(255).nullish(),
  identities: z.array(identityInputSchema).max(50).optional()
    .refine((ids) => !ids || new Set(ids.map((i) => `${i.channel}\n${normalizeHandle(i.channel, i.handle)}`)).size === ids.length, 'identities must not repeat'),
}).strict();

export const listContactsSchema = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('part of a name, an e-mail address, a phone number or any identity\'s handle'),
  /** `key:value` on the contact's custom attributes; repeat for several (all must hold). */
  attribute: attributeFilterSchema.optional(),
  limit: pageLimit(100, 50),
  cursor: z.string().max(200).optional(),
}).strict();

export const updateContactSchema = z.object({
  /** Keys to set; null removes one. Checked against the tenant's contact attributes. */
  customAttributes: attributeChangeSchema,
}).strict();

export const mergeContactsSchema = z.object({ sourceContactId: z.uuid() }).strict();

export type CreateContactInput = z.infer<typeof createContactSchema>;
export type ListContactsInput = z.infer<typeof listContactsSchema>;

const toIdentityDto = (i: Identity): IdentityDto => ({ channel: i.channel, handle: i.handle });

export function toContactDto(contact: Contact, identities: Identity[]): ContactDto {
  return {
    id: contact.id,
    name: contact.name,
    nameSafe: safeText(contact.name),
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    companyId: contact.companyId ?? null,
    identities: identities.map(toIdentityDto),
    customAttributes: fromJson<Record<string, unknown>>(contact.customAttributes ?? {}) ?? {},
    createdAt: contact.createdAt.toISOString(),
  };
}

const identityTaken = () => AppError.conflict('an identity with that channel and handle already belongs to a contact');

export async function createContact(
  em: EntityManager, principal: Principal, input: CreateContactInput,
): Promise<ContactDto> {
  return em.transactional(async (tx) => {
    const contact = tx.create(Contact, {
      tenant: principal.tenantId,
      name: input.name,
      email: input.email ? normalizeEmail(input.email) : null,
      phone: input.phone ? normalizePhone(input.phone) : null,
      companyId: input.companyId ?? null,
    });
    const identities = (input.identities ?? []).map((i) =>
      tx.create(Identity, { tenant: principal.tenantId, contact: contact.id, channel: i.channel, handle: normalizeHandle(i.channel, i.handle) }));
    try {
      await tx.flush();
    } catch (err) {
      if (isUniqueViolation(err)) throw identityTaken();
      throw err;
    }
    return toContactDto(contact, identities);
  });
}

/** A live contact; a merged one is NOT_FOUND with the survivor named. */
async function liveContact(em: EntityManager, id: string, lockMode?: LockMode): Promise<Contact> {
  const contact = await em.findOne(Contact, { id }, lockMode ? { lockMode } : {});
  if (!contact) throw AppError.notFound('contact');
  if (contact.mergedInto) throw AppError.merged('contact', contact.mergedInto);
  return contact;
}

export async function getContact(em: EntityManager, id: string): Promise<ContactDto> {
  const contact = await liveContact(em, id);
  return toContactDto(contact, await identitiesOf(em, id));
}

const identitiesOf = (em: EntityManager, contactId: string) => em.find(Identity, { contact: contactId }, { orderBy: { createdAt: 'asc', id: 'asc' } });

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** How many identities a search looks through for matching handles. */
const HANDLE_MATCHES = 500;

/** Newest first, paged by cursor; `q` finds a part of the name, e-mail, phone or any identity's handle. Merged contacts are left out. */
export async function listContacts(em: EntityManager, input: ListContactsInput): Promise<{ contacts: ContactDto[]; nextCursor: string | null }> {
  const where: Record<string, unknown> = { mergedInto: null };
  if (input.q) {
    const like = likePattern(input.q);
    const byHandle = await em.find(Identity, { handle: { $ilike: like } }, { fields: ['contact'], limit: HANDLE_MATCHES });
    where.$or = [{ name: { $ilike: like } }, { email: { $ilike: like } }, { phone: { $ilike: like } }, { id: { $in: byHandle.map((i) => i.contact) } }];
  }
  const attributes = await attributeFilters(em, 'contact', input.attribute);
  if (Object.keys(attributes).length) where.customAttributes = attributes;
  const { items, nextCursor } = await newestFirst(em, Contact, where, 'createdAt', input);
  const identities = items.length ? await em.find(Identity, { contact: { $in: items.map((c) => c.id) } }, { orderBy: { createdAt: 'asc', id: 'asc' } }) : [];
  return { contacts: items.map((c) => toContactDto(c, identities.filter((i) => i.contact === c.id))), nextCursor };
}

/** Sets or removes custom attribute values of a contact (merged contacts are NOT_FOUND, as everywhere). */
export async function updateContact(em: EntityManager, id: string, input: z.infer<typeof updateContactSchema>): Promise<ContactDto> {
  return em.transactional(async (tx) => {
    const contact = await liveContact(tx, id, LockMode.PESSIMISTIC_WRITE);
    const current = fromJson<Record<string, unknown>>(contact.customAttributes ?? {}) ?? {};
    contact.customAttributes = await changedAttributes(tx, 'contact', current, input.customAttributes);
    await tx.flush();
    return toContactDto(contact, await identitiesOf(tx, id));
  });
}

export async function listIdentities(em: EntityManager, contactId: string): Promise<IdentityDto[]> {
  await liveContact(em, contactId);
  return (await identitiesOf(em, contactId)).map(toIdentityDto);
}

/** Adds a channel identity; adding one the contact has answers it (`added` false), another contact's is CONFLICT. */
export async function addIdentity(
  { em, principal }: CallContext, contactId: string, input: z.infer<typeof identityInputSchema>,
): Promise<{ identity: IdentityDto; added: boolean }> {
  await liveContact(em, contactId);
  const handle = normalizeHandle(input.channel, input.handle);
  const existing = await em.findOne(Identity, { channel: input.channel, handle });
  if (existing) {
    if (existing.contact !== contactId) throw identityTaken();
    return { identity: toIdentityDto(existing), added: false };
  }
  const identity = em.create(Identity, { tenant: principal.tenantId, contact: contactId, channel: input.channel, handle });
  try {
    await em.flush();
  } catch (err) {
    if (isUniqueViolation(err)) throw identityTaken();
    throw err;
  }
  return { identity: toIdentityDto(identity), added: true };
}

/**
 * Merges `sourceId` into `targetId` in one transaction: identities, conversations (as their contact and as
 * the record they hang off), messages, recipients, campaign recipients and timeline entries move to the
 * target, which keeps its own fields and takes the source's where it has none. The source stays as a
 * pointer (NOT_FOUND naming the target), and the merge is on the target's timeline.
 */
export async function mergeContacts({ em, principal, clock }: CallContext, targetId: string, sourceId: string): Promise<ContactDto> {
  if (targetId === sourceId) throw AppError.validation('sourceContactId: a contact cannot be merged into itself');
  const tenantId = principal.tenantId;
  const now = clock.now();
  return em.transactional(async (tx) => {
    // Both rows locked in id order, so two merges of the same pair cannot deadlock or both win.
    const [first, second] = [targetId, sourceId].sort();
    for (const id of [first, second]) {
      if (!(await tx.findOne(Contact, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }))) throw AppError.notFound('contact');
    }
    const target = await liveContact(tx, targetId);
    const source = await liveContact(tx, sourceId);
    const move = async (statement: string) => { await sql(tx, statement, [targetId, tenantId, sourceId]); };
    await move('update identities set contact_id = ? where tenant_id = ? and contact_id = ?');
    await move('update conversations set contact_id = ? where tenant_id = ? and contact_id = ?');
    await move(`update conversations set entity_id = ? where tenant_id = ? and entity_type = 'contact' and entity_id = ?`);
    await move('update messages set contact_id = ? where tenant_id = ? and contact_id = ?');
    await move('update message_recipients set contact_id = ? where tenant_id = ? and contact_id = ?');
    await move(`update activities set entity_id = ? where tenant_id = ? and entity_type = 'contact' and entity_id = ?`);
    // One recipient per contact and campaign: where both were in a campaign, the source's row stays its history.
    await sql(tx, `update campaign_recipients r set contact_id = ? where r.tenant_id = ? and r.contact_id = ?
      and not exists (select 1 from campaign_recipients o where o.campaign_id = r.campaign_id and o.contact_id = ?)`,
    [targetId, tenantId, sourceId, targetId]);
    target.email ??= source.email ?? null;
    target.phone ??= source.phone ?? null;
    target.companyId ??= source.companyId ?? null;
    source.mergedInto = targetId;
    source.mergedAt = now;
    tx.create(Activity, {
      tenant: tenantId, entityType: 'contact', entityId: targetId, conversation: null, kind: 'contact.merged', refId: sourceId,
      actor: principal.userId, data: { sourceContactId: sourceId, sourceName: source.name }, occurredAt: now,
    });
    await tx.flush();
    return toContactDto(target, await identitiesOf(tx, targetId));
  });
}

/**
 * The contact an inbound handle belongs to: its identity (as given or in canonical form), else the live contact
 * whose own e-mail or phone it is (which then gets the identity), else a new contact named after the sender.
 * Answers the contact and the handle in its canonical form.
 */
export async function resolveHandle(
  em: EntityManager, tenantId: string, channel: Channel, handle: string, name: string | null | undefined,
): Promise<{ contactId: string; handle: string }> {
  const canonical = normalizeHandle(channel, handle);
  const found = await em.findOne(Identity, { channel, handle: { $in: [...new Set([canonical, handle])] } });
  if (found) return { contactId: found.contact, handle: canonical };
  const contactId = await em.transactional(async (tx) => {
    const owner = await ownerOf(tx, channel, canonical, handle);
    const contact = owner ?? tx.create(Contact, { tenant: tenantId, name: name ?? handle });
    await tx.flush();
    // Two first messages from one handle at once: the unique key keeps one identity; the loser's new contact is dropped.
    const [claimed] = await sql<{ contact_id: string }>(tx, `
      insert into identities (id, tenant_id, contact_id, channel, handle, created_at) values (?, ?, ?, ?, ?, now())
      on conflict (tenant_id, channel, handle) do update set handle = excluded.handle
      returning contact_id`, [crypto.randomUUID(), tenantId, contact.id, channel, canonical]);
    if (!owner && claimed.contact_id !== contact.id) tx.remove(contact);
    await tx.flush();
    return claimed.contact_id;
  });
  return { contactId, handle: canonical };
}

/** The oldest live contact whose own e-mail address or phone number the handle is. */
async function ownerOf(em: EntityManager, channel: Channel, canonical: string, given: string): Promise<Contact | null> {
  const values = [...new Set([canonical, given])];
  switch (handleKind(channel)) {
    case 'email': return em.findOne(Contact, { email: { $in: values }, mergedInto: null }, { orderBy: { createdAt: 'asc' } });
    case 'phone': return em.findOne(Contact, { phone: { $in: values }, mergedInto: null }, { orderBy: { createdAt: 'asc' } });
    default: return null;
  }
}
