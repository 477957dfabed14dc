import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveSecrets } from '../../src/platform/secrets.ts';

const secrets = suite('secrets');

secrets('first start generates both secrets into DATA_DIR with mode 0600', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sb-secrets-'));
  const first = await resolveSecrets(join(dir, 'data'), {});
  assert.ok(first.adminKeyGenerated);
  assert.ok(first.jwtSecret.length >= 32);
  assert.ok(first.adminKey.length >= 16);
  const file = join(dir, 'data', 'secrets.json');
  assert.is((await stat(file)).mode & 0o777, 0o600);
  assert.equal(JSON.parse(await readFile(file, 'utf8')), { jwtSecret: first.jwtSecret, adminKey: first.adminKey });
});

secrets('later starts reuse them and do not print the key again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sb-secrets-'));
  const first = await resolveSecrets(dir, {});
  const second = await resolveSecrets(dir, {});
  assert.is(second.adminKeyGenerated, false);
  assert.is(second.adminKey, first.adminKey);
  assert.is(second.jwtSecret, first.jwtSecret);
});

secrets('values from the environment win', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sb-secrets-'));
  const given = await resolveSecrets(dir, { adminKey: 'from-env-admin-key', jwtSecret: 'from-env-jwt-secret-0123456789-0123' });
  assert.is(given.adminKey, 'from-env-admin-key');
  assert.is(given.jwtSecret, 'from-env-jwt-secret-0123456789-0123');
  assert.is(given.adminKeyGenerated, false);
});

secrets.run();
