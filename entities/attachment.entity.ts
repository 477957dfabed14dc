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
    /** The file's address on the channel's own platform (where the channel keeps it), beside our `url`. */
    platformUrl: p.string().length(2048).nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    /** When retention archived the attachment (the tenant's retentionAttachmentsDays after it arrived); still answered. */
    archivedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
  indexes: [
    // A message's attachments, by type (a thread's images, a message's files).
    { name: 'attachments_message_type_index', properties: ['message', 'type'] },
    // What retention has still to archive, oldest first.
    { name: 'attachments_retention_index', properties: ['createdAt'], where: 'archived_at is null' },
  ],
  ...tenantScoped,
});
export class Attachment extends AttachmentSchema.class {}
AttachmentSchema.setClass(Attachment);
