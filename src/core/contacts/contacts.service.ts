// Contacts and the channel identities that resolve to them.
import { safeText } from '../../platform/text/sanitize.ts';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Contact, Identity } from '../../../entities/index.ts';
import { CHANNELS } from '../../../entities/enums.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { ContactDto } from '../../contract/dto.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { nameSchema } from '../../platform/text/display-name.ts';

const identity = z.object({ channel: z.enum(CHANNELS), handle: z.string().trim().min(1).max(320) }).strict();

export const createContactSchema = z.object({
  name: nameSchema(200),
  email: z.string().trim().toLowerCase().email().max(320).nullish(),
  phone: z.string().trim().min(3).max(50).nullish(),
  companyId: z.string().trim().min(1).max(255).nullish(),
  identities: z.array(identity).max(50).optional()
    .refine((ids) => !ids || new Set(ids.map((i) => `${i.channel}\n${i.handle}`)).size === ids.length, 'identities must not repeat'),
}).strict();

export type CreateContactInput = z.infer<typeof createContactSchema>;

export function toContactDto(contact: Contact, identities: Identity[]): ContactDto {
  return {
    id: contact.id,
    name: contact.name,
    nameSafe: safeText(contact.name),
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    companyId: contact.companyId ?? null,
    identities: identities.map((i) => ({ channel: i.channel, handle: i.handle })),
    createdAt: contact.createdAt.toISOString(),
  };
}

export async function createContact(
  em: EntityManager, principal: Principal, input: CreateContactInput,
): Promise<ContactDto> {
  return em.transactional(async (tx) => {
    const contact = tx.create(Contact, {
      tenant: principal.tenantId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      companyId: input.companyId ?? null,
    });
    const identities = (input.identities ?? []).map((i) =>
      tx.create(Identity, { tenant: principal.tenantId, contact: contact.id, channel: i.channel, handle: i.handle }));
    try {
      await tx.flush();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw AppError.conflict('an identity with that channel and handle already belongs to a contact');
      }
      throw err;
    }
    return toContactDto(contact, identities);
  });
}

export async function getContact(em: EntityManager, id: string): Promise<ContactDto> {
  const contact = await em.findOne(Contact, { id });
  if (!contact) throw AppError.notFound('contact');
  const identities = await em.find(Identity, { contact: id }, { orderBy: { createdAt: 'asc' } });
  return toContactDto(contact, identities);
}
