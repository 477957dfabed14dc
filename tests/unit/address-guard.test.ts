// The webhook address policy: which addresses are refused in which notation, the operator's allow list, and the
// connect-time lookup that judges a host name by what it resolves to (so a name cannot rebind to the inside).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addressAllowed, guardedLookup, parseAddressPolicy, PUBLIC_ONLY, REFUSED_PRIVATE, refusedUrl, type Resolver } from '../../src/features/webhooks/address-guard.ts';

const guard = suite('webhook address guard');

guard('special ranges are refused, public unicast is allowed', () => {
  for (const ip of ['127.0.0.1', '127.9.9.9', '0.0.0.0', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '224.0.0.1',
    '255.255.255.255', '::', '::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'fd00::1', 'fe80::1', 'ff02::1', '64:ff9b::7f00:1', '2002:7f00:1::']) {
    assert.is(addressAllowed(ip, PUBLIC_ONLY), false, ip);
  }
  for (const ip of ['8.8.8.8', '93.184.216.34', '2606:4700::6810:85e5']) assert.is(addressAllowed(ip, PUBLIC_ONLY), true, ip);
});

guard('URL literals in every notation are refused before any connection', () => {
  for (const url of ['http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:0:0:1]/',
    'http://localhost/', 'http://a.b.localhost./', 'http://LOCALHOST:80/']) {
    assert.is(refusedUrl(url, PUBLIC_ONLY), REFUSED_PRIVATE, url);
  }
  assert.is(refusedUrl('https://hooks.example.com/x', PUBLIC_ONLY), null);
});

guard('the operator allow list: true allows all, CIDRs allow theirs only; a bad entry throws', () => {
  const loopback = parseAddressPolicy('127.0.0.0/8, ::1/128');
  assert.is(addressAllowed('127.0.0.1', loopback), true);
  assert.is(addressAllowed('::1', loopback), true);
  assert.is(addressAllowed('10.0.0.1', loopback), false);
  assert.is(refusedUrl('http://localhost:3000/', loopback), null);
  assert.is(addressAllowed('10.0.0.1', parseAddressPolicy('true')), true);
  assert.equal(parseAddressPolicy(undefined), PUBLIC_ONLY);
  assert.equal(parseAddressPolicy('false'), PUBLIC_ONLY);
  assert.throws(() => parseAddressPolicy('not-a-cidr'));
});

function lookup(resolve: Resolver, all: boolean): Promise<unknown[]> {
  return new Promise((done) => guardedLookup(PUBLIC_ONLY, resolve)('hooks.example.com', { all }, (...args: unknown[]) => done(args)));
}

guard('a host name resolving inside is refused at connect time; mixed answers keep only the public addresses', async () => {
  const inside: Resolver = (_h, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
  const [err] = await lookup(inside, true);
  assert.is((err as Error).message, REFUSED_PRIVATE);
  const mixed: Resolver = (_h, cb) => cb(null, [{ address: '10.0.0.1', family: 4 }, { address: '93.184.216.34', family: 4 }]);
  assert.equal(await lookup(mixed, true), [null, [{ address: '93.184.216.34', family: 4 }]]);
  assert.equal(await lookup(mixed, false), [null, '93.184.216.34', 4]);
});

guard.run();
