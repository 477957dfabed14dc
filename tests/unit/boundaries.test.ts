// House rules (docs/architecture.md), checked by reading every import.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = join(import.meta.dirname, '..', '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

async function violations(dirs: string[], forbidden: (spec: string, file: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const file of await sourceFiles(dir)) {
      for (const spec of await importsOf(file)) if (forbidden(spec, file)) found.push(`${file} imports ${spec}`);
    }
  }
  return found;
}

const boundaries = suite('boundaries');

boundaries('only src/http imports fastify', async () => {
  const found = await violations(['src', 'sla', 'entities', 'realtime'],
    (spec, file) => spec.startsWith('fastify') && !file.startsWith('src/http/') && file !== 'src/app.ts');
  assert.equal(found, []);
});

boundaries('only realtime imports socket.io (and the client SDK, socket.io-client)', async () => {
  const found = await violations(['src', 'sla', 'entities'], (spec, file) => {
    if (!spec.startsWith('socket.io') && !spec.startsWith('@socket.io')) return false;
    if (file.startsWith('src/client/')) return spec !== 'socket.io-client' && spec !== '@socket.io/component-emitter';
    return file !== 'src/app.ts';
  });
  assert.equal(found, []);
});

boundaries('the client SDK imports only the contract, itself and socket.io-client', async () => {
  const found = await violations(['src/client'], (spec) =>
    !spec.startsWith('./') && !spec.startsWith('../contract/') && spec !== 'socket.io-client' && spec !== '@socket.io/component-emitter');
  assert.equal(found, []);
});

boundaries('entities import only MikroORM and each other', async () => {
  const found = await violations(['entities'], (spec) => !spec.startsWith('@mikro-orm/') && !spec.startsWith('./'));
  assert.equal(found, []);
});

boundaries('the contract imports nothing but itself (its zod schemas: zod and the value lists of entities/enums.ts too)', async () => {
  const found = await violations(['src/contract'], (spec, file) =>
    !spec.startsWith('./') && !(file === 'src/contract/schemas.ts' && (spec === 'zod' || spec === '../../entities/enums.ts')));
  assert.equal(found, []);
});

boundaries('the client SDK does not take the contract\'s zod schemas (its bundle stays free of zod)', async () => {
  const found = await violations(['src/client'], (spec) => spec.endsWith('contract/schemas.ts'));
  assert.equal(found, []);
});

boundaries('only the entry points (main.ts, the command-line tools of src/cli) read process.env', async () => {
  const found: string[] = [];
  for (const dir of ['src', 'sla', 'entities', 'realtime']) {
    for (const file of await sourceFiles(dir)) {
      if (file === 'src/main.ts' || file.startsWith('src/cli/')) continue;
      if ((await readFile(join(ROOT, file), 'utf8')).includes('process.env')) found.push(file);
    }
  }
  assert.equal(found, []);
});

boundaries.run();
