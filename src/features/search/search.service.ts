// Full-text search over a tenant's messages (subject and body, stemmed in the tenant's language), conversations
// (subject, tag names) and contacts (name, e-mail, phone, handles): every word a prefix, ranked, with highlighted
// snippets, filtered and paged by (rank, id). A reader gets only what they may read in full: a masked thread's
// messages and subject never match for someone who may not read them (a match alone would tell its words), nor
// notes for bots, nor others' whispers.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Conversation, Message, Tenant } from '../../../entities/index.ts';
import { CONTACT_SEARCH_VECTOR } from '../../../entities/contact.entity.ts';
import { CONVERSATION_SEARCH_PREDICATE, CONVERSATION_SEARCH_VECTOR } from '../../../entities/conversation.entity.ts';
import { attributeFilters, attributeFilterSchema } from '../../core/attributes/attributes.service.ts';
import { CHANNELS, CONVERSATION_STATUSES } from '../../../entities/enums.ts';
import { MESSAGE_SEARCH_VECTOR } from '../../../entities/message.entity.ts';
import type { SearchHitDto } from '../../contract/dto.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { sql } from '../../platform/db/sql.ts';
import { AppError } from '../../platform/errors.ts';
import { pageLimit } from '../../platform/util/paging.ts';
import { getContact } from '../../core/contacts/contacts.service.ts';
import { withDetails } from '../../core/messages/history.service.ts';
import { fullAccessCondition } from '../../core/visibility/access.ts';
import { receivableCondition } from '../../core/visibility/present.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';
import { snippetSegments, toPrefixQuery } from './query-text.ts';

const TYPES = ['messages', 'conversations', 'contacts'] as const;
type SearchType = (typeof TYPES)[number];

export const searchSchema = z.object({
  q: z.string().trim().min(1).max(200),
  types: z.string().max(60).optional().transform((v, ctx) => {
    const list = (v ?? TYPES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
    const bad = list.filter((t) => !(TYPES as readonly string[]).includes(t));
    if (bad.length || !list.length) ctx.addIssue({ code: 'custom', message: `types: ${TYPES.join(', ')} (comma-separated)` });
    return list as SearchType[];
  }),
  inboxId: z.uuid().optional(),
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assigneeId: z.union([z.uuid(), z.literal('none')]).optional(),
  channel: z.enum(CHANNELS).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  teamId: z.uuid().optional(),
  /** `key:value` on the conversation's custom attributes; repeat for several. */
  attribute: attributeFilterSchema.optional(),
  limit: pageLimit(50, 20),
  cursor: z.string().max(200).optional(),
}).strict();
export type SearchInput = z.infer<typeof searchSchema>;

export type SearchHit = SearchHitDto;

interface Row { type: SearchHit['type']; id: string; conversation_id: string | null; rank_text: string }

/** An entity's search expression over a table alias (the same expression its index has, so the index serves). */
const over = (expression: string, alias: string) => expression.split("'")
  // Only outside string literals (a JSON literal's "keys" are not columns).
  .map((part, i) => (i % 2 ? part : part.replace(/"(\w+)"/g, `${alias}.$1`))).join("'");

/** Messages ranked per search: the newest matches (see search). */
export const RANKED_MATCHES = 500;

const HEADLINE_OPTIONS = `'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=10, MaxFragments=1'`;

function decodeCursor(cursor: string): { rank: number; id: string } {
  try {
    const [rank, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof rank === 'number' && Number.isFinite(rank) && typeof id === 'string' && z.uuid().safeParse(id).success) return { rank, id };
  } catch {
    // refused below
  }
  throw AppError.validation('cursor: not a cursor from a previous page');
}
const encodeCursor = (rank: number, id: string) => Buffer.from(JSON.stringify([rank, id])).toString('base64url');

/** The conversation filters over `c` (and for messages `m`), shared by the message and conversation parts. */
function conversationFilters(input: SearchInput, timeColumn: string, attributes: Record<string, unknown>): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (input.inboxId) { parts.push('c.inbox_id = ?'); params.push(input.inboxId); }
  if (input.status) { parts.push('c.status = ?'); params.push(input.status); }
  if (input.assigneeId === 'none') parts.push('c.assignee_id is null');
  else if (input.assigneeId) { parts.push('c.assignee_id = ?'); params.push(input.assigneeId); }
  if (input.channel) { parts.push('c.channel = ?'); params.push(input.channel); }
  if (input.since) { parts.push(`${timeColumn} >= ?`); params.push(new Date(input.since)); }
  if (input.until) { parts.push(`${timeColumn} < ?`); params.push(new Date(input.until)); }
  if (input.tag) {
    parts.push('exists (select 1 from conversation_tags ct join tags tg on tg.id = ct.tag_id where ct.conversation_id = c.id and lower(tg.name) = lower(?))');
    params.push(input.tag);
  }
  if (input.teamId) { parts.push('c.team_id = ?'); params.push(input.teamId); }
  if (Object.keys(attributes).length) { parts.push('c.custom_attributes @> ?::jsonb'); params.push(JSON.stringify(attributes)); }
  return { sql: parts.map((p) => ` and ${p}`).join(''), params };
}

const hasConversationFilter = (i: SearchInput) => Boolean(i.inboxId || i.status || i.assigneeId || i.channel || i.since || i.until || i.tag || i.teamId || i.attribute);

/** The rows the conversations' search index holds, over a table alias (a query must imply it to use the index). */
const indexed = (alias: string) => CONVERSATION_SEARCH_PREDICATE.replace(/\b(subject|custom_attributes)\b/g, `${alias}.$1`);

/**
 * `em` is the caller's tenant-bound manager (row-level security); `ranker` runs the one statement that finds and
 * ranks the ids, without row-level security: PostgreSQL does not let a non-leakproof operator such as `@@` use an
 * index under a policy, so under one every search would read every message. That statement names the tenant
 * in every part itself; what it finds is then read through `em`, under the policies.
 */
export async function search(em: EntityManager, ranker: EntityManager, reader: Principal, input: SearchInput): Promise<{ hits: SearchHit[]; nextCursor: string | null }> {
  const words = toPrefixQuery(input.q);
  if (!words) throw AppError.validation('q: give at least one word (letters or digits)');
  const tenant = await em.findOneOrFail(Tenant, { id: reader.tenantId }, { fields: ['searchLanguage'] });
  const attributes = await attributeFilters(em, 'conversation', input.attribute);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const keyset = after ? ' and (rank, id) < (?::numeric, ?::uuid)' : '';
  const keysetParams = after ? [after.rank, after.id] : [];
  const admin = reader.role === 'admin';
  const access = admin ? { sql: 'true', params: [] as string[] } : fullAccessCondition(reader.userId);
  const take = input.limit + 1;
  const parts: string[] = [];
  const params: unknown[] = [];

  if (input.types.includes('messages')) {
    const filters = conversationFilters(input, 'm.sent_at', attributes);
    const vector = over(MESSAGE_SEARCH_VECTOR, 'm');
    const receivable = receivableCondition({ kind: reader.kind, userId: reader.userId, role: reader.role });
    // Ranked among the newest matches only: ranking re-reads each match's text, so ranking every match of a
    // common word cannot stay fast; the newest RANKED_MATCHES are what people look for in an inbox, and paging
    // goes through them (an older match is found by a more precise query or the date filters).
    parts.push(`(select * from (
      select 'message' as type, k.id, k.conversation_id, round(ts_rank(${over(MESSAGE_SEARCH_VECTOR, 'k')}, to_tsquery(?::regconfig, ?))::numeric, 6) as rank
      from (
        select m.id, m.conversation_id, m.subject, m.body, m.search_config from messages m join conversations c on c.id = m.conversation_id
        where m.tenant_id = ? and ${vector} @@ to_tsquery(?::regconfig, ?) and m.deleted_at is null and c.archived_at is null
          and ${access.sql} and ${receivable.sql}${filters.sql}
        order by m.sent_at desc, m.id desc limit ${RANKED_MATCHES}) k) x
      where true${keyset} order by rank desc, id desc limit ${take})`);
    params.push(tenant.searchLanguage, words, reader.tenantId, tenant.searchLanguage, words, ...access.params, ...receivable.params, ...filters.params, ...keysetParams);
  }
  if (input.types.includes('conversations')) {
    const filters = conversationFilters(input, 'c.last_message_at', attributes);
    const vector = over(CONVERSATION_SEARCH_VECTOR, 'c');
    const simple = `to_tsquery('simple'::regconfig, ?)`;
    const tagged = `exists (select 1 from conversation_tags ct join tags tg on tg.id = ct.tag_id where ct.conversation_id = c.id and to_tsvector('simple'::regconfig, tg.name) @@ ${simple})`;
    parts.push(`(select * from (
      select 'conversation' as type, c.id, c.id as conversation_id,
        round(greatest(case when (${indexed('c')}) and ${vector} @@ ${simple} then ts_rank(${vector}, ${simple}) else 0 end,
          case when ${tagged} then 0.05 else 0 end)::numeric, 6) as rank
      from conversations c
      where c.id in (
          select s.id from conversations s where s.tenant_id = ? and (${indexed('s')}) and ${over(CONVERSATION_SEARCH_VECTOR, 's')} @@ ${simple}
          union select ct.conversation_id from conversation_tags ct join tags tg on tg.id = ct.tag_id
            where ct.tenant_id = ? and to_tsvector('simple'::regconfig, tg.name) @@ ${simple})
        and c.archived_at is null and ${access.sql}${filters.sql}) x
      where true${keyset} order by rank desc, id desc limit ${take})`);
    params.push(words, words, words, reader.tenantId, words, reader.tenantId, words, ...access.params, ...filters.params, ...keysetParams);
  }
  if (input.types.includes('contacts') && !hasConversationFilter(input)) {
    const vector = over(CONTACT_SEARCH_VECTOR, 'k');
    parts.push(`(select * from (
      select 'contact' as type, k.id, null::uuid as conversation_id, round(greatest(ts_rank(${vector}, to_tsquery('simple'::regconfig, ?)), 0.05)::numeric, 6) as rank
      from contacts k
      where k.tenant_id = ? and k.merged_into_id is null and (${vector} @@ to_tsquery('simple'::regconfig, ?)
        or k.id in (select i.contact_id from identities i where i.tenant_id = ? and i.handle like ? escape '\\'))) x
      where true${keyset} order by rank desc, id desc limit ${take})`);
    params.push(words, reader.tenantId, words, reader.tenantId, `${input.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, ...keysetParams);
  }
  if (!parts.length) return { hits: [], nextCursor: null };

  const rows = await sql<Row>(ranker, `
    select type, id, conversation_id, rank::text as rank_text from (${parts.join(' union all ')}) hits
    order by rank desc, id desc limit ${take}`, params);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { hits: await hydrate(em, page, tenant.searchLanguage, words), nextCursor: rows.length > input.limit && last ? encodeCursor(Number(last.rank_text), last.id) : null };
}

/** The rows as hits: messages with their details and snippets, conversations, contacts (a few queries per page). */
async function hydrate(em: EntityManager, rows: Row[], language: string, words: string): Promise<SearchHit[]> {
  const ids = (type: Row['type']) => rows.filter((r) => r.type === type).map((r) => r.id);
  const messageIds = ids('message');
  const conversationIds = [...new Set(rows.flatMap((r) => (r.conversation_id ? [r.conversation_id] : [])))];
  const [messages, headlines, conversations, contacts] = await Promise.all([
    messageIds.length ? em.find(Message, { id: { $in: messageIds } }).then((found) => withDetails(em, found)) : [],
    messageIds.length ? sql<{ id: string; headline: string }>(em, `
      select m.id, ts_headline(m.search_config, coalesce(m.subject, '') || ' ' || m.body, to_tsquery(?::regconfig, ?), ${HEADLINE_OPTIONS}) as headline
      from messages m where m.id = any(?::uuid[])`, [language, words, `{${messageIds.join(',')}}`]) : [],
    conversationIds.length ? em.find(Conversation, { id: { $in: conversationIds } }) : [],
    Promise.all(ids('contact').map((id) => getContact(em, id).catch(() => null))),
  ]);
  const messageById = new Map(messages.map((m) => [m.id, m]));
  const headlineById = new Map(headlines.map((h) => [h.id, h.headline]));
  const conversationById = new Map(conversations.map((c) => [c.id, toConversationDto(c)]));
  const contactById = new Map(contacts.flatMap((c) => (c ? [[c.id, c] as const] : [])));
  return rows.map((r) => {
    const conversation = r.conversation_id ? conversationById.get(r.conversation_id) ?? null : null;
    const headline = r.type === 'message' ? headlineById.get(r.id) : r.type === 'conversation' ? conversation?.subject : null;
    return {
      type: r.type, id: r.id, rank: Number(r.rank_text), conversationId: r.conversation_id,
      snippet: headline ? snippetSegments(headline) : null,
      message: r.type === 'message' ? messageById.get(r.id) ?? null : null,
      conversation, contact: r.type === 'contact' ? contactById.get(r.id) ?? null : null,
    };
  });
}
