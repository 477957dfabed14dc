// Attachment metadata; the bytes live wherever `url` points.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { ATTACHMENT_TYPES } from './enums.ts';
import { Message } from './message.entity.ts';

export const AttachmentSchema = defineEntity({
  name: 'Attachment',
  tableName: 'attachments',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    message: () => p.manyToOne(Message).mapToPk().deleteRule('cascade'),
    type: p.enum(ATTACHMENT_TYPES),
    url: p.string().length(2048),
    mime: p.string().length(255).nullable(),
    filename: p.string().length(255).nullable(),
    size: p.bigint('number').nullable(),
    width: p.integer().nullable(),
    height: p.integer().nullable(),
    duration: p.double().nullable(),
    thumbnailUrl: p.string().length(2048).nullable(),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'attachments_message_index', properties: ['message'] }],
  ...tenantScoped,
});
export class Attachment extends AttachmentSchema.class {}
AttachmentSchema.setClass(Attachment);
