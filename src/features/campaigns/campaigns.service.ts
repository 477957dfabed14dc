// Campaigns: a template and a list of contacts; each recipient is tracked from pending to its message's
// delivery status. Creating one only records it; the sender (campaign-sender.ts) sends.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Campaign, CampaignRecipient, Contact, Inbox } from '../../../entities/index.ts';
import { CAMPAIGN_RECIPIENT_STATUSES } from '../../../entities/enums.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { CampaignDto, CampaignProgressDto, CampaignRecipientDto, CampaignRecipientStatus } from '../../contract/dto.ts';
import { sql } from '../../platform/db/sql.ts';
import { isoOrNull } from '../../platform/util/iso.ts';
import { AppError } from '../../platform/errors.ts';
import { unknownPlaceholders } from './template.ts';
import { nameSchema } from '../../platform/text/display-name.ts';
import { pageLimit } from '../../platform/util/paging.ts';

export const MAX_CAMPAIGN_CONTACTS = 10_000;

export const createCampaignSchema = z.object({
  name: nameSchema(200),
  inboxId: z.uuid(),
  template: z.string().trim().min(1).max(10_000),
  contactIds: z.array(z.uuid()).min(1).max(MAX_CAMPAIGN_CONTACTS)
    .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, 'contactIds must not repeat'),
}).strict().superRefine((v, ctx) => {
  const unknown = unknownPlaceholders(v.template);
  if (unknown.length) ctx.addIssue({ code: 'custom', path: ['template'], message: `unknown placeholders: ${unknown.join(', ')}` });
});

export const recipientsQuerySchema = z.object({
  status: z.enum(CAMPAIGN_RECIPIENT_STATUSES).optional(),
  limit: pageLimit(1000, 100),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();

async function progressOf(em: EntityManager, campaignIds: string[]): Promise<Map<string, CampaignProgressDto>> {
  const rows = await sql<{ campaign_id: string; status: CampaignRecipientStatus; n: unknown }>(em, `
    select campaign_id, status, count(*) as n from campaign_recipients
    where campaign_id in (select value::uuid from jsonb_array_elements_text(?::jsonb)) group by campaign_id, status`,
  [JSON.stringify(campaignIds)]);
  const out = new Map<string, CampaignProgressDto>();
  for (const id of campaignIds) out.set(id, { total: 0, pending: 0, sent: 0, delivered: 0, read: 0, failed: 0 });
  for (const r of rows) {
    const p = out.get(r.campaign_id)!;
    p[r.status] = Number(r.n);
    p.total += Number(r.n);
  }
  return out;
}

function toCampaignDto(c: Campaign, progress: CampaignProgressDto): CampaignDto {
  return {
    id: c.id, name: c.name, inboxId: c.inbox, template: c.template, status: c.status, createdById: c.createdBy ?? null, progress,
    createdAt: new Date(c.createdAt).toISOString(), completedAt: c.completedAt ? new Date(c.completedAt).toISOString() : null,
  };
}

export async function createCampaign(em: EntityManager, principal: Principal, input: z.infer<typeof createCampaignSchema>): Promise<CampaignDto> {
  const contactIds = input.contactIds.map((id) => id.toLowerCase());
  const campaign = await em.transactional(async (tx) => {
    if (!(await tx.count(Inbox, { id: input.inboxId }))) throw AppError.notFound('inbox');
    if ((await tx.count(Contact, { id: { $in: contactIds } })) !== contactIds.length) throw AppError.notFound('contact');
    const campaign = tx.create(Campaign, {
      tenant: principal.tenantId, name: input.name, inbox: input.inboxId, template: input.template, createdBy: principal.userId,
    });
    await tx.flush();
    await sql(tx, `insert into campaign_recipients (id, tenant_id, campaign_id, contact_id, status, updated_at)
      select gen_random_uuid(), ?, ?, value::uuid, 'pending', now() from jsonb_array_elements_text(?::jsonb)`,
    [principal.tenantId, campaign.id, JSON.stringify(contactIds)]);
    return campaign;
  });
  return toCampaignDto(campaign, (await progressOf(em, [campaign.id])).get(campaign.id)!);
}

export async function getCampaign(em: EntityManager, id: string): Promise<CampaignDto> {
  const campaign = await em.findOne(Campaign, { id });
  if (!campaign) throw AppError.notFound('campaign');
  return toCampaignDto(campaign, (await progressOf(em, [id])).get(id)!);
}

export async function listCampaigns(em: EntityManager): Promise<CampaignDto[]> {
  const campaigns = await em.find(Campaign, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 200 });
  const progress = await progressOf(em, campaigns.map((c) => c.id));
  return campaigns.map((c) => toCampaignDto(c, progress.get(c.id)!));
}

export async function campaignRecipients(
  em: EntityManager, id: string, query: z.infer<typeof recipientsQuerySchema>,
): Promise<CampaignRecipientDto[]> {
  if (!(await em.count(Campaign, { id }))) throw AppError.notFound('campaign');
  const rows = await em.find(CampaignRecipient, { campaign: id, ...(query.status ? { status: query.status } : {}) },
    { orderBy: { id: 'asc' }, limit: query.limit, offset: query.offset });
  return rows.map((r) => ({
    contactId: r.contact, conversationId: r.conversation ?? null, messageId: r.message ?? null, status: r.status,
    error: r.error ?? null, sentAt: isoOrNull(r.sentAt), deliveredAt: isoOrNull(r.deliveredAt), readAt: isoOrNull(r.readAt),
    failedAt: isoOrNull(r.failedAt), updatedAt: new Date(r.updatedAt).toISOString(),
  }));
}

/** In the status report's transaction: the recipient's status follows its message's (forward only, like it). */
export async function followMessageStatus(tx: EntityManager, tenantId: string, messageId: string, status: CampaignRecipientStatus, at: Date): Promise<void> {
  // Each status keeps its own time; a read message was delivered (if its delivery was never reported).
  await sql(tx, `update campaign_recipients set status = ?, updated_at = ?,
      delivered_at = case when ? in ('delivered', 'read') then coalesce(delivered_at, ?) else delivered_at end,
      read_at = case when ? = 'read' then coalesce(read_at, ?) else read_at end,
      failed_at = case when ? = 'failed' then coalesce(failed_at, ?) else failed_at end
    where tenant_id = ? and message_id = ?`, [status, at, status, at, status, at, status, at, tenantId, messageId]);
}
