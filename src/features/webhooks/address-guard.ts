// Outbound webhooks reach public addresses only, unless the operator allows more: loopback, private,
// link-local, unique-local, unspecified and every other special range are refused in any notation (the URL
// parser already turns 0x7f000001, 0177.0.0.1 and 2130706433 into 127.0.0.1), and a host name is judged by
// the addresses it resolves to at connect time, so DNS rebinding cannot get round it. Redirects are never
// followed (see the dispatcher), so a refused address cannot be reached through one either.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';

export const REFUSED_PRIVATE = 'refused: private address';

export interface AddressPolicy {
  /** WEBHOOK_ALLOW_PRIVATE=true: every address is allowed. */
  allowAll: boolean;
  /** Ranges allowed although not public (WEBHOOK_ALLOW_PRIVATE as comma-separated CIDRs). */
  allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export const PUBLIC_ONLY: AddressPolicy = { allowAll: false, allowed: [] };

/** `true`, `false`/unset, or comma-separated CIDRs (`127.0.0.1/32,10.0.0.0/8`); a bad entry throws. */
export function parseAddressPolicy(value: string | undefined): AddressPolicy {
  const text = (value ?? '').trim();
  if (!text || text === 'false') return PUBLIC_ONLY;
  if (text === 'true') return { allowAll: true, allowed: [] };
  return { allowAll: false, allowed: text.split(',').map((cidr) => ipaddr.parseCIDR(cidr.trim())) };
}

function normalized(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/** Whether a connection to this IP address may be made under the policy. */
export function addressAllowed(address: string, policy: AddressPolicy): boolean {
  if (policy.allowAll) return true;
  if (!ipaddr.isValid(address)) return false;
  const ip = normalized(address);
  if (ip.range() === 'unicast') return true;
  return policy.allowed.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}

const literal = (hostname: string): string | null => {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
};

/** Names that mean this machine whatever DNS says. */
const isLocalName = (hostname: string) => /(^|\.)localhost\.?$/i.test(hostname);

/** A URL refused before any lookup: an address literal outside the policy, or a local name. Null when it may be tried. */
export function refusedUrl(url: string, policy: AddressPolicy): string | null {
  if (policy.allowAll) return null;
  const { hostname } = new URL(url);
  const ip = literal(hostname);
  if (ip) return addressAllowed(ip, policy) ? null : REFUSED_PRIVATE;
  if (isLocalName(hostname)) return addressAllowed('127.0.0.1', policy) ? null : REFUSED_PRIVATE;
  return null;
}

export type Resolver = (hostname: string, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

export class RefusedAddressError extends Error {
  constructor() {
    super(REFUSED_PRIVATE);
    this.name = 'RefusedAddressError';
  }
}

/**
 * net.connect's `lookup` for a host name: resolves, drops what the policy refuses, and fails when nothing is
 * left, so the connection goes to an address that was checked, never to one resolved again later.
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void): void => {
    resolve(hostname, (err, addresses) => {
      if (err) return callback(err);
      const allowed = addresses.filter((a) => addressAllowed(a.address, policy));
      if (!allowed.length) return callback(new RefusedAddressError());
      if (options?.all) return callback(null, allowed);
      return callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

/** An HTTP agent whose every connection passes the policy (literals are checked by refusedUrl first: net skips lookup for them). */
export function guardedAgent(policy: AddressPolicy, resolve?: Resolver): Agent {
  return new Agent({ connect: { lookup: guardedLookup(policy, resolve) as never } });
}
