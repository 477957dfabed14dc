// Inboxes: one channel's entry point, with its routing, visibility and SLA settings.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { CHANNELS, VISIBILITIES } from './enums.ts';
import { SlaPolicy } from './sla-policy.entity.ts';

/** One routing rule as stored: when the first message mentions a keyword, add the skills, set the language. */
export interface RoutingRuleColumn { keywords: string[]; attributes?: Record<string, string | number | boolean>; skills: string[]; language: string | null }

export const InboxSchema = defineEntity({
  name: 'Inbox',
  tableName: 'inboxes',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    channel: p.enum(CHANNELS),
    /** The channel's own address (an e-mail address, a phone number, a page), as customers see it. */
    address: p.string().length(320).nullable(),
    /** The account the channel is connected through at its provider. */
    connectedAccountId: p.string().length(255).nullable(),
    visibility: p.enum(VISIBILITIES).default('metadata'),
    autoAssign: p.boolean().default(false),
    slaPolicy: () => p.manyToOne(SlaPolicy).mapToPk().nullable().deleteRule('set null'),
    /** Key of the inbound webhook's HMAC; kept in clear because verification needs it. */
    webhookSecret: p.string().length(100),
    // Routing (see src/routing): when an assignee's absence sends their work back, skills, weights, wrap-up.
    /** An assignee offline (or away, with reassignWhenAway) this long loses their open conversations. */
    reassignAfterSeconds: p.integer().default(120),
    reassignWhenAway: p.boolean().default(false),
    /** A conversation whose first response is still owed this long after assignment goes to someone else; null: never. */
    reassignTimeoutMinutes: p.double().nullable(),
    /** After this wait, a conversation whose skills or language nobody online has goes to anyone in the inbox. */
    skillFallbackSeconds: p.integer().default(120),
    /** What one open conversation of this inbox weighs against an agent's capacity (chat 1, email 0.3, …). */
    conversationWeight: p.double().default(1),
    /** After resolving a conversation of this inbox, its assignee is not auto-assigned here for this long. */
    wrapUpSeconds: p.integer().default(0),
    /** Given to new conversations that name none. */
    defaultSkills: p.json<string[]>().defaultRaw(`'[]'`),
    defaultLanguage: p.string().length(35).nullable(),
    /** Keyword rules that add skills and set a language on a new inbound thread (src/routing/routing-rules.ts). */
    routingRules: p.json<RoutingRuleColumn[]>().defaultRaw(`'[]'`),
    /** On resolution, send the customer a satisfaction survey (a signed link to rate 1–5). */
    csatSurvey: p.boolean().default(false),
    /** The survey's text; `{{link}}` is replaced by the link (default: a short question with the link). */
    csatMessage: p.string().length(1000).nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'inboxes_tenant_index', properties: ['tenant'] }],
  ...tenantScoped,
});
export class Inbox extends InboxSchema.class {}
InboxSchema.setClass(Inbox);
