// What a channel does to deliver a customer's message: POST /v1/inboxes/:id/inbound with the body signed by
// the inbox's webhook secret. Used by `npm run inbound` and by the demo's simulated customers.
import { randomUUID } from 'node:crypto';
import { sign, SIGNATURE_HEADER } from './signature.ts';

export interface InboundMessage {
  url: string;
  inboxId: string;
  secret: string;
  from: { handle: string; name?: string };
  body: string;
  /** The channel's id of the message; a repeat is answered as a duplicate. A random one by default. */
  externalId?: string;
}

export interface InboundAnswer { conversationId: string; messageId: string; duplicate: boolean }

export async function postInbound(message: InboundMessage): Promise<InboundAnswer> {
  const raw = JSON.stringify({ externalId: message.externalId ?? randomUUID(), from: message.from, body: message.body });
  const res = await fetch(new URL(`/v1/inboxes/${encodeURIComponent(message.inboxId)}/inbound`, message.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(message.secret, raw, Math.floor(Date.now() / 1000)) },
    body: raw,
  });
  const answer = await res.json().catch(() => null) as (InboundAnswer & { error?: { code: string; message: string } }) | null;
  if (res.status !== 202 || !answer) throw new Error(`inbound: ${res.status} ${answer?.error ? `${answer.error.code}: ${answer.error.message}` : ''}`.trim());
  return answer;
}
