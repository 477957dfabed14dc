// Customer satisfaction: a survey sent when a conversation of a surveying inbox is resolved (once per
// resolution), answered once with a rating of 1 to 5 and a comment, through its signed link or the channel;
// reported per agent, team and inbox.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Conversation, CsatSurvey, Identity, Inbox } from '../../../entities/index.ts';
import type { Channel, ConversationDto, CsatSurveyDto } from '../../contract/dto.ts';
import { normalizeHandle } from '../../platform/text/handles.ts';
import type { MessageSender } from '../../core/messages/send.service.ts';
import { sql } from '../../platform/db/sql.ts';
import { AppError } from '../../platform/errors.ts';
import { isoOrNull } from '../../platform/util/iso.ts';
import { LINK_DAYS, type SurveyLinks } from './survey-link.ts';

export const DEFAULT_SURVEY = 'How did we do? Rate this conversation from 1 to 5: {{link}}';

export const csatAnswerSchema = z.object({
  rating: z.coerce.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional().transform((c) => c || null),
}).strict();

export function toSurveyDto(s: CsatSurvey): CsatSurveyDto {
  return {
    id: s.id, conversationId: s.conversation, inboxId: s.inboxId, agentId: s.agentId ?? null, teamId: s.teamId ?? null,
    rating: s.rating ?? null, comment: s.comment ?? null, source: s.source ?? null, sentAt: new Date(s.sentAt).toISOString(), answeredAt: isoOrNull(s.answeredAt),
  };
}

/**
 * After a resolution: in an inbox that surveys, one survey for this resolution (a repeated event, or another
 * node, finds it taken) and its message to the customer, from the system. Answers the survey, or null.
 */
export async function sendSurvey(em: EntityManager, messages: MessageSender, links: SurveyLinks, tenantId: string, c: ConversationDto, now: Date): Promise<CsatSurveyDto | null> {
  if (c.status !== 'resolved' || !c.resolvedAt || !c.contactId) return null;
  const inbox = await em.findOne(Inbox, { id: c.inboxId }, { fields: ['csatSurvey', 'csatMessage'] });
  if (!inbox?.csatSurvey) return null;
  const [row] = await sql<{ id: string }>(em, `
    insert into csat_surveys (id, tenant_id, conversation_id, inbox_id, agent_id, team_id, resolved_at, sent_at)
    values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?) on conflict (conversation_id, resolved_at) do nothing returning id`,
  [tenantId, c.id, c.inboxId, c.assigneeId, c.teamId, new Date(c.resolvedAt), now]);
  if (!row) return null;
  const link = links.linkFor(row.id);
  await messages.send(em, {
    tenantId, conversationId: c.id, direction: 'outbound', senderType: 'system', authorId: null, contactId: null,
    body: (inbox.csatMessage ?? DEFAULT_SURVEY).replaceAll('{{link}}', link), clientMessageId: `csat:${row.id}`, externalId: null,
  });
  return toSurveyDto(await em.findOneOrFail(CsatSurvey, { id: row.id }));
}

/** The tenant of a link's survey, while the link is good (LINK_DAYS after it went out); else NOT_FOUND. */
export async function linkedSurveyTenant(system: EntityManager, surveyId: string, now: Date): Promise<string> {
  const survey = await system.findOne(CsatSurvey, { id: surveyId }, { filters: false, fields: ['tenant', 'sentAt'] });
  if (!survey || now.getTime() - new Date(survey.sentAt).getTime() > LINK_DAYS * 86_400_000) throw AppError.notFound('survey');
  return survey.tenant;
}

export async function readSurvey(em: EntityManager, id: string): Promise<CsatSurveyDto> {
  const survey = await em.findOne(CsatSurvey, { id });
  if (!survey) throw AppError.notFound('survey');
  return toSurveyDto(survey);
}

/** Records the answer once: a second answer is CONFLICT and changes nothing. */
export async function answerSurvey(em: EntityManager, id: string, answer: z.infer<typeof csatAnswerSchema>, source: 'link' | 'inbound', now: Date): Promise<CsatSurveyDto> {
  const rows = await sql<{ id: string }>(em, `
    update csat_surveys set rating = ?, comment = ?, source = ?, answered_at = ? where id = ? and answered_at is null returning id`,
  [answer.rating, answer.comment, source, now, id]);
  if (!rows.length) {
    await readSurvey(em, id);
    throw AppError.conflict('this survey has been answered');
  }
  return readSurvey(em, id);
}

/**
 * The channel's answer for a handle: its contact's latest unanswered survey in the inbox (of the thread, when
 * named). An unknown handle has none (and makes no contact).
 */
export async function openSurveyOf(em: EntityManager, inboxId: string, channel: Channel, handle: string, threadExternalId?: string): Promise<string> {
  const identity = await em.findOne(Identity, { channel, handle: { $in: [...new Set([normalizeHandle(channel, handle), handle])] } });
  if (!identity) throw AppError.notFound('open survey');
  const [row] = await sql<{ id: string }>(em, `
    select s.id from csat_surveys s join conversations c on c.id = s.conversation_id
    where s.inbox_id = ? and c.contact_id = ? and s.answered_at is null ${threadExternalId ? 'and c.thread_external_id = ?' : ''}
    order by s.sent_at desc limit 1`, threadExternalId ? [inboxId, identity.contact, threadExternalId] : [inboxId, identity.contact]);
  if (!row) throw AppError.notFound('open survey');
  return row.id;
}

export async function surveysOf(em: EntityManager, conversationId: string): Promise<CsatSurveyDto[]> {
  if (!(await em.count(Conversation, { id: conversationId }))) throw AppError.notFound('conversation');
  return (await em.find(CsatSurvey, { conversation: conversationId }, { orderBy: { sentAt: 'asc', id: 'asc' } })).map(toSurveyDto);
}

export interface CsatRow { id: string; surveys: number; responses: number; average: number | null; satisfied: number | null }

/** Over surveys sent in the window: how many, how many answered, the average rating, the share rating 4 or 5. */
export async function csatReport(em: EntityManager, tenantId: string, since: Date): Promise<{ byAgent: CsatRow[]; byTeam: CsatRow[]; byInbox: CsatRow[] }> {
  const rows = await sql<{ dimension: string; id: string; surveys: string; responses: string; average: string | null; satisfied: string | null }>(em, `
    with base as (select agent_id, team_id, inbox_id, rating from csat_surveys where tenant_id = ? and sent_at >= ?),
    grouped as (
      select 'agent' as dimension, agent_id as id, count(*) as surveys, count(rating) as responses, avg(rating) as average,
        avg(case when rating >= 4 then 1.0 when rating is not null then 0.0 end) as satisfied from base where agent_id is not null group by agent_id
      union all
      select 'team', team_id, count(*), count(rating), avg(rating), avg(case when rating >= 4 then 1.0 when rating is not null then 0.0 end)
        from base where team_id is not null group by team_id
      union all
      select 'inbox', inbox_id, count(*), count(rating), avg(rating), avg(case when rating >= 4 then 1.0 when rating is not null then 0.0 end)
        from base group by inbox_id
    )
    select * from grouped order by dimension, id`, [tenantId, since]);
  const shape = (r: (typeof rows)[number]): CsatRow => ({
    id: r.id, surveys: Number(r.surveys), responses: Number(r.responses),
    average: r.average === null ? null : Math.round(Number(r.average) * 100) / 100,
    satisfied: r.satisfied === null ? null : Math.round(Number(r.satisfied) * 1000) / 1000,
  });
  return {
    byAgent: rows.filter((r) => r.dimension === 'agent').map(shape),
    byTeam: rows.filter((r) => r.dimension === 'team').map(shape),
    byInbox: rows.filter((r) => r.dimension === 'inbox').map(shape),
  };
}
