// Custom attributes: the tenant defines them (key, type, list options) for contacts or conversations; the
// values live in the record's `custom_attributes` object and are checked against the definition when set.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { ATTRIBUTE_SUBJECTS, ATTRIBUTE_TYPES } from './enums.ts';

export const AttributeDefinitionSchema = defineEntity({
  name: 'AttributeDefinition',
  tableName: 'attribute_definitions',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    /** What it describes: a contact or a conversation. */
    appliesTo: p.enum(ATTRIBUTE_SUBJECTS),
    key: p.string().length(64),
    label: p.string().length(200),
    type: p.enum(ATTRIBUTE_TYPES),
    /** A list attribute's allowed values. */
    options: p.json<string[]>().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'attribute_definitions_tenant_key_unique', properties: ['tenant', 'appliesTo', 'key'] }],
  ...tenantScoped,
});
export class AttributeDefinition extends AttributeDefinitionSchema.class {}
AttributeDefinitionSchema.setClass(AttributeDefinition);
