// Malformed bodies get VALIDATION (or the JSON error) and write nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;

const validation = suite('validation');

validation.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Valid');
});
validation.after(async () => server.stop());

const common = ['not json', '[]', '"text"', '42', 'null', '{"unexpected":true}'];

validation('every write endpoint refuses malformed bodies and writes nothing', async () => {
  const cases: [string, string, string | undefined, string[]][] = [
    ['POST', '/v1/tenants', undefined, [...common, '{"name":""}', '{"name":123}', `{"name":"${'x'.repeat(201)}"}`]],
    ['POST', '/v1/users', t.adminToken, [...common, '{"name":"A"}', '{"name":"A","role":"root"}', '{"name":"A","role":"agent","capacity":-1}',
      '{"name":"A","role":"agent","capacity":1.5}', '{"name":"A","role":"agent","email":"not-an-email"}']],
    ['PATCH', `/v1/users/${t.agentId}`, t.adminToken, [...common, '{"active":"yes"}', '{"role":"bot"}', '{"capacity":"3"}']],
    ['POST', '/v1/inboxes', t.adminToken, [...common, '{"name":"I"}', '{"name":"I","channel":"fax"}',
      '{"name":"I","channel":"chat","visibility":"public"}', '{"name":"I","channel":"chat","memberIds":["nope"]}',
      `{"name":"I","channel":"chat","memberIds":["${t.agentId}","${t.agentId}"]}`, '{"name":"I","channel":"chat","autoAssign":"true"}']],
    ['PUT', `/v1/inboxes/${t.inboxId}/members`, t.adminToken, [...common, '{"memberIds":"x"}', '{"memberIds":[1]}']],
    ['POST', '/v1/sla-policies', t.adminToken, [...common, '{"name":"P","firstResponseMinutes":0,"resolutionMinutes":1}',
      '{"name":"P","firstResponseMinutes":1,"resolutionMinutes":-5}', '{"name":"P","firstResponseMinutes":1,"resolutionMinutes":2,"warnAtPercent":100}',
      '{"name":"P","firstResponseMinutes":"1","resolutionMinutes":2}']],
    ['POST', '/v1/contacts', t.agentToken, [...common, '{"name":""}', '{"name":"C","email":"x"}',
      '{"name":"C","identities":[{"channel":"fax","handle":"1"}]}', '{"name":"C","identities":[{"channel":"sms"}]}']],
  ];
  const before = await rowCounts(server.app.orm);
  for (const [method, path, token, bodies] of cases) {
    for (const raw of bodies) {
      const headers = path === '/v1/tenants' ? { 'x-admin-key': TEST_ADMIN_KEY } : undefined;
      const res = await call(method, path, { token, raw, headers });
      assert.is(res.status, 400, `${method} ${path} ${raw}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.is(res.body.error.code, 'VALIDATION');
      assert.type(res.body.error.message, 'string');
    }
  }
  assert.equal(await rowCounts(server.app.orm), before);
});

validation('a body that is not JSON at all is VALIDATION', async () => {
  const res = await call('POST', '/v1/contacts', { token: t.agentToken, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(res.status, 400);
  assert.is(res.body.error.code, 'VALIDATION');
});

validation.run();
