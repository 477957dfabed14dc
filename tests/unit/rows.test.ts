// Raw rows to the entities' shape, and PostgreSQL's timestamps to the wire's ISO form: the fast paths agree
// with the general ones.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fromRow } from '../../src/platform/db/rows.ts';
import { isoOrNull } from '../../src/platform/util/iso.ts';

const rows = suite('rows and timestamps');

rows('a row maps its columns to property names, relations by their entity name', () => {
  const row = { id: 'c1', tenant_id: 't1', sla_next_check_at: null, last_seq: 3, 'odd"name': 1 };
  assert.equal(fromRow(row), { id: 'c1', tenant: 't1', slaNextCheckAt: null, lastSeq: 3, 'odd"name': 1 });
});

rows('rows of different column lists each map by their own columns', () => {
  assert.equal(fromRow({ id: 'a', inbox_id: 'i' }), { id: 'a', inbox: 'i' });
  assert.equal(fromRow({ inbox_id: 'i', id: 'a', user_id: 'u' }), { inbox: 'i', id: 'a', user: 'u' });
  assert.equal(fromRow({ id: 'a', inbox_id: 'j' }), { id: 'a', inbox: 'j' });
});

rows('timestamps: PostgreSQL UTC text, other offsets, ISO strings and Dates give what Date gives', () => {
  const samples = ['2026-12-03 03:37:59.000336+00', '2026-12-03 03:37:59+00', '2026-12-03 03:37:59.5+00', '2026-12-03 03:37:59.999999+00',
    '2026-12-03 03:37:59.12+02', '2026-12-03 23:59:59.1-05:30', '2026-12-03T03:37:59.120Z'];
  for (const s of samples) assert.is(isoOrNull(s), new Date(s).toISOString(), s);
  const d = new Date('2026-01-02T03:04:05.678Z');
  assert.is(isoOrNull(d), '2026-01-02T03:04:05.678Z');
  assert.is(isoOrNull(null), null);
  assert.is(isoOrNull(undefined), null);
});

rows.run();
