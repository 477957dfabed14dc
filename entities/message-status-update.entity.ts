// Audit trail of delivery statuses reported for a message.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { MESSAGE_STATUSES } from './enums.ts';
import { Message } from './message.entity.ts';

export const MessageStatusUpdateSchema = defineEntity({
  name: 'MessageStatusUpdate',
  tableName: 'message_status_updates',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    message: () => p.manyToOne(Message).mapToPk().deleteRule('cascade'),
    status: p.enum(MESSAGE_STATUSES),
    at: p.datetime(),
    error: p.text().nullable(),
    /** Whether the update moved the message's status (older or equal ones are kept but ignored). */
    applied: p.boolean(),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'message_status_updates_message_index', properties: ['message'] }],
  ...tenantScoped,
});
export class MessageStatusUpdate extends MessageStatusUpdateSchema.class {}
MessageStatusUpdateSchema.setClass(MessageStatusUpdate);
