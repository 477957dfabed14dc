// Delivery statuses: they only move forward (failed is terminal), every report is audited.
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { Message, MessageStatusUpdate } from '../../../entities/index.ts';
import type { MessageDto, MessageStatus } from '../../contract/dto.ts';
import { AppError } from '../../platform/errors.ts';
import type { Role } from '../../platform/auth/principal.ts';
import { hasFullAccess } from '../visibility/access.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { withDetails } from './history.service.ts';
import type { MessageStatusInput } from './messages.schemas.ts';

const RANK: Record<MessageStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** Whether `next` moves a message that is `current` forward. */
export function statusMovesForward(current: MessageStatus, next: MessageStatus): boolean {
  if (current === 'failed') return false;
  if (next === 'failed') return current !== 'read';
  return RANK[next] > RANK[current];
}

/** Who reports: a person or bot of the tenant (who must read the thread in full), or the inbox's channel. */
export type StatusReporter = { kind: 'user' | 'bot'; userId: string; role: Role } | { kind: 'channel'; inboxId: string };

/** Refuses a report on a message the reporter may not read, or that takes no delivery status (notes, inbound). */
async function checkReporter(em: EntityManager, reporter: StatusReporter, message: Message): Promise<void> {
  const note = message.direction === 'internal';
  if (reporter.kind === 'channel') {
    if (note || message.inbox !== reporter.inboxId) throw AppError.notFound('message');
  } else {
    if (note && reporter.kind === 'bot') throw AppError.notFound('message');
    if (!(await hasFullAccess(em, reporter, message.conversation))) throw AppError.forbidden('not a participant of this masked thread');
  }
  if (message.direction !== 'outbound') throw AppError.validation('status: delivery statuses apply to outbound messages only');
}

/**
 * Something that moves with a message's delivery status, in the same transaction (a campaign's recipient does).
 * Passed in, so that features hang off the message core and not the other way round.
 */
export type StatusFollower = (tx: EntityManager, tenantId: string, messageId: string, status: MessageStatus, at: Date) => Promise<void>;

export async function reportStatus(
  em: EntityManager, bus: EventBus, followers: readonly StatusFollower[], tenantId: string, reporter: StatusReporter, messageId: string,
  input: MessageStatusInput,
): Promise<MessageDto> {
  const at = input.at ? new Date(input.at) : new Date();
  const { message, applied } = await em.transactional(async (tx) => {
    const message = await tx.findOne(Message, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!message) throw AppError.notFound('message');
    await checkReporter(tx, reporter, message);
    const applied = statusMovesForward(message.status, input.status);
    if (applied) {
      message.status = input.status;
      // Each status keeps the time it was first reported; a read message was delivered.
      if (input.status === 'delivered' || input.status === 'read') message.deliveredAt ??= at;
      if (input.status === 'read') message.readAt ??= at;
      if (input.status === 'failed') {
        message.failedAt ??= at;
        message.errorMessage = input.error ?? null;
      }
      for (const follow of followers) await follow(tx, tenantId, message.id, input.status, at);
    }
    tx.create(MessageStatusUpdate, { tenant: tenantId, message: message.id, status: input.status, at, error: input.error ?? null, applied });
    await tx.flush();
    return { message, applied };
  });
  if (applied) {
    bus.publish({ type: 'message.status', tenantId, conversationId: message.conversation, messageId: message.id, status: message.status, at: at.toISOString() });
  }
  const [dto] = await withDetails(em, [message]);
  return dto;
}
