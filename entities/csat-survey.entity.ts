// Customer satisfaction: one survey per resolution of a conversation, answered once (1–5 and a comment).
// The agent, team and inbox are copied when the survey goes out, so reports keep who was rated.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Conversation } from './conversation.entity.ts';
import { CSAT_SOURCES } from './enums.ts';

export const CsatSurveySchema = defineEntity({
  name: 'CsatSurvey',
  tableName: 'csat_surveys',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    inboxId: p.uuid(),
    agentId: p.uuid().nullable(),
    teamId: p.uuid().nullable(),
    /** The conversation's resolution it asks about (a reopened and resolved again conversation asks again). */
    resolvedAt: p.datetime(),
    sentAt: p.datetime(),
    rating: p.smallint().nullable(),
    comment: p.text().nullable(),
    source: p.enum(CSAT_SOURCES).nullable(),
    answeredAt: p.datetime().nullable(),
  },
  uniques: [{ name: 'csat_surveys_conversation_resolution_unique', properties: ['conversation', 'resolvedAt'] }],
  indexes: [{ name: 'csat_surveys_tenant_answered_index', properties: ['tenant', 'answeredAt'], where: 'answered_at is not null' }],
  checks: [{ name: 'csat_surveys_rating_check', expression: '((rating >= 1) AND (rating <= 5))' }],
  ...tenantScoped,
});
export class CsatSurvey extends CsatSurveySchema.class {}
CsatSurveySchema.setClass(CsatSurvey);
