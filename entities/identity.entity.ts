// Channel handles (an address, a phone number, a social id) that resolve to a contact.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Contact } from './contact.entity.ts';
import { CHANNELS } from './enums.ts';

export const IdentitySchema = defineEntity({
  name: 'Identity',
  tableName: 'identities',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    contact: () => p.manyToOne(Contact).mapToPk().deleteRule('cascade'),
    channel: p.enum(CHANNELS),
    handle: p.string().length(320),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'identities_tenant_channel_handle_unique', properties: ['tenant', 'channel', 'handle'] }],
  indexes: [{ name: 'identities_contact_index', properties: ['contact'] }],
  ...tenantScoped,
});
export class Identity extends IdentitySchema.class {}
IdentitySchema.setClass(Identity);
