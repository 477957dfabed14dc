// Contacts: the people customers are; a contact may belong to a company record.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';

/** The indexed text of a contact (queries must name the same expression). */
export const CONTACT_SEARCH_VECTOR = `to_tsvector('simple'::regconfig, "name" || ' ' || coalesce("email", '') || ' ' || coalesce("phone", ''))`;

export const ContactSchema = defineEntity({
  name: 'Contact',
  tableName: 'contacts',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    email: p.string().length(320).nullable(),
    phone: p.string().length(50).nullable(),
    /** The CRM company record this contact belongs to (polymorphic, no foreign key). */
    companyId: p.string().length(255).nullable(),
    /** Set when this contact was merged into another: it answers NOT_FOUND with a pointer to the survivor. */
    mergedInto: () => p.manyToOne(Contact).mapToPk().nullable().deleteRule('set null'),
    mergedAt: p.datetime().nullable(),
    /** Values of the tenant's contact attributes (attribute_definitions), checked when set. */
    customAttributes: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [
    { name: 'contacts_tenant_email_index', properties: ['tenant', 'email'] },
    { name: 'contacts_tenant_phone_index', properties: ['tenant', 'phone'] },
    { name: 'contacts_tenant_company_index', properties: ['tenant', 'companyId'] },
    // Search by name, e-mail or phone (names are not stemmed).
    { name: 'contacts_search_index', expression: `create index "contacts_search_index" on "contacts" using gin (${CONTACT_SEARCH_VECTOR})` },
  ],
  ...tenantScoped,
});
export class Contact extends ContactSchema.class {}
ContactSchema.setClass(Contact);
