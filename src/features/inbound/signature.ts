// Channel signatures, keyed by the inbox's webhook secret, in the header `t=<unix seconds>,<scheme>=<hex HMAC-SHA256>`:
// - v1 over "<t>.<raw body>": the inbound webhook (its externalId makes a replay a duplicate);
// - v2 over "<t>.<METHOD> <path>.<raw body>": any request, bound to its method and path (delivery status
//   reports need it: a v1 report names no message and could be replayed to every message of the inbox).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The request header a channel's signature travels in. */
export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const mac = (secret: string, prefix: string, rawBody: Buffer | string): Buffer =>
  createHmac('sha256', secret).update(prefix).update(rawBody).digest();

export function sign(secret: string, rawBody: Buffer | string, t: number): string {
  return `t=${t},v1=${mac(secret, `${t}.`, rawBody).toString('hex')}`;
}

/** A v2 signature of a request: what a channel sends with `POST /v1/messages/:id/status`. */
export function signRequest(secret: string, method: string, path: string, rawBody: Buffer | string, t: number): string {
  return `t=${t},v2=${mac(secret, `${t}.${method.toUpperCase()} ${path}.`, rawBody).toString('hex')}`;
}

interface ParsedHeader { t: number; values: Map<string, string[]> }

function parse(header: string | undefined, nowSeconds: number): ParsedHeader | null {
  if (!header || header.length > 2048) return null;
  const values = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=');
    if (!key || !value) continue;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  const t = Number(values.get('t')?.[0]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS) return null;
  return { t, values };
}

function matches(given: string[] | undefined, expected: Buffer): boolean {
  return (given ?? []).some((v) => {
    if (!/^[0-9a-f]+$/i.test(v)) return false;
    const bytes = Buffer.from(v, 'hex');
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  });
}

/** True when one of the header's v1 values matches and t is within the tolerance of now. */
export function verifySignature(secret: string, rawBody: Buffer, header: string | undefined, nowSeconds: number): boolean {
  const parsed = parse(header, nowSeconds);
  return !!parsed && matches(parsed.values.get('v1'), mac(secret, `${parsed.t}.`, rawBody));
}

/** True when one of the header's v2 values matches this method, path and body; v1 values are not enough. */
export function verifyRequestSignature(
  secret: string, method: string, path: string, rawBody: Buffer, header: string | undefined, nowSeconds: number,
): boolean {
  const parsed = parse(header, nowSeconds);
  return !!parsed && matches(parsed.values.get('v2'), mac(secret, `${parsed.t}.${method.toUpperCase()} ${path}.`, rawBody));
}
