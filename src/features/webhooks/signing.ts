// Standard Webhooks signatures (https://www.standardwebhooks.com), by its reference library.
import { randomBytes } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';

/** A new endpoint secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The three headers of one attempt: the id stays, the timestamp is the attempt's, the signature covers both and the body. */
export function signedHeaders(secret: string, eventId: string, body: string, at = new Date()): Record<string, string> {
  const signature = new StandardWebhook(secret).sign(eventId, at, body);
  return { 'webhook-id': eventId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}
