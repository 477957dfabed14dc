// Creating conversations and signing inbound webhooks in tests.
import assert from 'node:assert/strict';
import { sign } from '../../src/features/inbound/signature.ts';
import type { Call } from './http.ts';
import type { SeededTenant } from './seed.ts';

export async function newConversation(call: Call, t: SeededTenant, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: t.contactId, ...extra } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.conversation.id;
}

export function signedInbound(call: Call, inboxId: string, secret: string, body: unknown, at = Math.floor(Date.now() / 1000)) {
  const raw = JSON.stringify(body);
  return call('POST', `/v1/inboxes/${inboxId}/inbound`, { raw, headers: { 'x-switchboard-signature': sign(secret, raw, at) } });
}
