// A message's addresses (from, to, cc, bcc), each matched to the tenant's contact or user with that address.
import { z } from 'zod';
import type { Message, MessageRecipient } from '../../../entities/index.ts';
import type { RecipientDto, RecipientRole } from '../../contract/dto.ts';
import { fromRow } from '../../platform/db/rows.ts';
import type { Tx } from '../../platform/db/tenant-transaction.ts';
import { toRecipientDto } from '../../model/message.mapper.ts';
import { optionalNameSchema } from '../../platform/text/display-name.ts';

export interface RecipientInput {
  role: RecipientRole;
  address: string;
  alias?: string | null;
  /** Already known (an inbound sender's contact); otherwise matched by address. */
  contactId?: string | null;
}

const MAX_ADDRESSES = 100;
/** `{address, alias?}`; channels' webhooks may also say `{handle, name?}` like `from`. */
export const addressSchema = z.union([
  z.object({ address: z.string().trim().min(1).max(320), alias: optionalNameSchema(200) }).strict(),
  z.object({ handle: z.string().trim().min(1).max(320), name: optionalNameSchema(200) }).strict()
    .transform((a) => ({ address: a.handle, alias: a.name })),
]);
export const addressListSchema = z.array(addressSchema).max(MAX_ADDRESSES);

/** Outbound messages: `{to?, cc?, bcc?}`. */
export const outboundRecipientsSchema = z.object({
  to: addressListSchema.optional(), cc: addressListSchema.optional(), bcc: addressListSchema.optional(),
}).strict();

export function recipientList(lists: { from?: { address: string; alias?: string | null; contactId?: string | null }; to?: AddressList; cc?: AddressList; bcc?: AddressList }): RecipientInput[] {
  const out: RecipientInput[] = [];
  if (lists.from) out.push({ role: 'from', ...lists.from });
  for (const role of ['to', 'cc', 'bcc'] as const) for (const a of lists[role] ?? []) out.push({ role, address: a.address, alias: a.alias ?? null });
  return out;
}

type AddressList = { address: string; alias?: string | null }[];

// Contacts by email or by a channel handle, users by email (emails are stored lower-cased).
const INSERT_RECIPIENTS = `
  insert into message_recipients (id, tenant_id, message_id, conversation_id, role, address, alias, contact_id, user_id, created_at)
  select r.id, ?::uuid, ?::uuid, ?::uuid, r.role, r.address, r.alias,
    coalesce(r.contact_id,
      (select ct.id from contacts ct where ct.tenant_id = ?::uuid and ct.email = lower(r.address) order by ct.created_at limit 1),
      (select i.contact_id from identities i where i.tenant_id = ?::uuid and i.handle = r.address order by i.created_at limit 1)),
    (select u.id from users u where u.tenant_id = ?::uuid and u.email = lower(r.address) limit 1),
    -- a microsecond apart, so reads by created_at keep the order given
    ?::timestamptz + (r.n * interval '1 microsecond')
  from jsonb_to_recordset(?::jsonb) as r(id uuid, n int, role text, address text, alias text, contact_id uuid)
  returning *`;

/** Written in the message's transaction; answers them in the order given. */
export async function insertRecipients(tx: Tx, message: Pick<Message, 'id' | 'tenant' | 'conversation' | 'createdAt'>, list: RecipientInput[]): Promise<RecipientDto[]> {
  const rows = list.map((r, n) => ({ id: crypto.randomUUID(), n, role: r.role, address: r.address, alias: r.alias ?? null, contact_id: r.contactId ?? null }));
  const t = message.tenant;
  const inserted = await tx.query<Record<string, unknown>>(INSERT_RECIPIENTS,
    [t, message.id, message.conversation, t, t, t, message.createdAt, JSON.stringify(rows)]);
  const order = new Map<string, number>(rows.map((r) => [r.id, r.n]));
  return inserted.map((row) => fromRow<MessageRecipient>(row)).sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(toRecipientDto);
}
