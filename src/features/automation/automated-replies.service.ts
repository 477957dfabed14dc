// Automated replies: the rules (CRUD), and answering an inbound message with the one that applies,
// sent as `senderType: "system"` (never a first response, never a reply for the awaiting-reply report).
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { AutomatedReply, Inbox, SlaPolicy, User } from '../../../entities/index.ts';
import { AUTOMATED_REPLY_KINDS, AUTOMATED_REPLY_TYPES, CHANNELS } from '../../../entities/enums.ts';
import { businessHoursSchema } from '../../../sla/business-hours.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AutomatedReplyDto, BusinessHours, Channel, MessageDto, ReplyMetadata } from '../../contract/dto.ts';
import { replyMetadataSchema } from '../../contract/schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { memberIdsOf } from '../../core/inboxes/inboxes.service.ts';
import type { MessageSender } from '../../core/messages/send.service.ts';
import type { PresenceReader } from '../../platform/presence/presence-reader.ts';
import { chooseReply } from './choose-reply.ts';
import { nameSchema } from '../../platform/text/display-name.ts';

const fields = {
  name: nameSchema(200),
  kind: z.enum(AUTOMATED_REPLY_KINDS),
  inboxId: z.uuid().nullish(),
  keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(50).nullish(),
  body: z.string().trim().min(1).max(10_000),
  replyType: z.enum(AUTOMATED_REPLY_TYPES).optional(),
  replyMetadata: replyMetadataSchema.nullish(),
  priority: z.number().int().min(-1000).max(1000).optional(),
  channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length).nullish(),
  activeHours: businessHoursSchema.nullish(),
  businessHours: businessHoursSchema.nullish(),
  enabled: z.boolean().optional(),
};

/** Buttons and quick replies need their options; a text reply has none. */
const optionsMatchType = (r: { replyType?: string; replyMetadata?: unknown }) => ((r.replyType ?? 'text') === 'text') === !r.replyMetadata;
const OPTIONS_MESSAGE = 'replyMetadata: options for buttons and quick replies, none for a text reply';

export const createReplySchema = z.object(fields).strict()
  .refine((r) => r.kind !== 'keyword' || r.keywords?.length, 'keywords: required for a keyword reply')
  .refine(optionsMatchType, OPTIONS_MESSAGE);
export const updateReplySchema = z.object(fields).partial().strict();

export function toReplyDto(r: AutomatedReply): AutomatedReplyDto {
  return {
    id: r.id, name: r.name, kind: r.kind, inboxId: r.inbox ?? null, keywords: r.keywords ?? null, body: r.body,
    replyType: r.replyType, replyMetadata: (r.replyMetadata as ReplyMetadata | null) ?? null,
    priority: r.priority, channels: (r.channels as Channel[] | null) ?? null,
    activeHours: (r.activeHours as BusinessHours | null) ?? null, businessHours: (r.businessHours as BusinessHours | null) ?? null,
    enabled: r.enabled, createdAt: new Date(r.createdAt).toISOString(),
  };
}

async function assertInbox(em: EntityManager, id: string | null | undefined): Promise<void> {
  if (id && !(await em.count(Inbox, { id }))) throw AppError.notFound('inbox');
}

export async function createReply(em: EntityManager, principal: Principal, input: z.infer<typeof createReplySchema>): Promise<AutomatedReplyDto> {
  await assertInbox(em, input.inboxId);
  const reply = em.create(AutomatedReply, {
    tenant: principal.tenantId, name: input.name, kind: input.kind, inbox: input.inboxId ?? null, keywords: input.keywords ?? null,
    body: input.body, replyType: input.replyType ?? 'text', replyMetadata: input.replyMetadata ?? null, priority: input.priority ?? 0, channels: input.channels ?? null, activeHours: input.activeHours ?? null,
    businessHours: input.businessHours ?? null, enabled: input.enabled ?? true,
  });
  await em.flush();
  return toReplyDto(reply);
}

export async function listReplies(em: EntityManager): Promise<AutomatedReplyDto[]> {
  return (await em.find(AutomatedReply, {}, { orderBy: { priority: 'desc', createdAt: 'asc' } })).map(toReplyDto);
}

async function findReply(em: EntityManager, id: string): Promise<AutomatedReply> {
  const reply = await em.findOne(AutomatedReply, { id });
  if (!reply) throw AppError.notFound('automated reply');
  return reply;
}

export async function updateReply(em: EntityManager, id: string, input: z.infer<typeof updateReplySchema>): Promise<AutomatedReplyDto> {
  const reply = await findReply(em, id);
  await assertInbox(em, input.inboxId);
  const { inboxId, ...rest } = input;
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (reply as unknown as Record<string, unknown>)[key] = value;
  if (inboxId !== undefined) reply.inbox = inboxId;
  if (reply.kind === 'keyword' && !reply.keywords?.length) throw AppError.validation('keywords: required for a keyword reply');
  if (!optionsMatchType(reply)) throw AppError.validation(OPTIONS_MESSAGE);
  await em.flush();
  return toReplyDto(reply);
}

export async function deleteReply(em: EntityManager, id: string): Promise<void> {
  em.remove(await findReply(em, id));
  await em.flush();
}

/** Answers inbound messages with the automated reply that applies, if any. */
export class AutoReplier {
  #presence: PresenceReader;
  #messages: MessageSender;

  constructor(presence: PresenceReader, messages: MessageSender) {
    this.#presence = presence;
    this.#messages = messages;
  }

  async afterInbound(em: EntityManager, inbox: Inbox, inbound: MessageDto, slaPolicyId: string | null, isNewConversation: boolean): Promise<MessageDto | null> {
    const rules = await em.find(AutomatedReply, { enabled: true, $or: [{ inbox: null }, { inbox: inbox.id }] });
    if (!rules.length) return null;
    const hasAway = rules.some((r) => r.kind === 'away');
    const rule = chooseReply(rules.map((r) => ({ ...toReplyDto(r), createdAt: new Date(r.createdAt) })), {
      inboxId: inbox.id, channel: inbox.channel, body: inbound.body, isNewConversation, now: new Date(),
      agentOnline: hasAway ? await this.#agentOnline(em, inbox) : true,
      inboxHours: hasAway ? await policyHours(em, slaPolicyId) : null,
    });
    if (!rule) return null;
    const { message } = await this.#messages.send(em, {
      tenantId: inbox.tenant, conversationId: inbound.conversationId, direction: 'outbound', senderType: 'system',
      authorId: null, contactId: null, body: rule.body, clientMessageId: `auto-reply:${inbound.id}`, externalId: null,
    });
    return message;
  }

  /** A member of the inbox (or, when it has none, any person of the tenant) is online. */
  async #agentOnline(em: EntityManager, inbox: Inbox): Promise<boolean> {
    let ids = await memberIdsOf(em, inbox.id);
    if (!ids.length) ids = (await em.find(User, { active: true, role: { $ne: 'bot' } }, { fields: ['id'] })).map((u) => u.id);
    if (!ids.length) return false;
    const statuses = await this.#presence.statusOf(inbox.tenant, ids);
    return [...statuses.values()].some((s) => s === 'online');
  }
}

export async function policyHours(em: EntityManager, policyId: string | null): Promise<BusinessHours | null> {
  if (!policyId) return null;
  const policy = await em.findOne(SlaPolicy, { id: policyId }, { fields: ['businessHours'] });
  return (policy?.businessHours as BusinessHours | null) ?? null;
}
