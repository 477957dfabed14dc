// House rules (docs/architecture.md), checked by reading every import.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
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

/** Relative imports of every production file, resolved to repository paths. */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const dir of ['src', 'sla', 'entities', 'realtime']) {
    for (const file of await sourceFiles(dir)) {
      const targets = (await importsOf(file)).filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
      graph.set(file, targets);
    }
  }
  return graph;
}

/** The tiers of src/ (docs/architecture.md): a module is a folder inside one; elsewhere a module is a top folder. */
const TIERS = new Set(['core', 'features', 'platform', 'clients', 'tools']);

/** The module a file belongs to: `src/<tier>/<module>`, `src/<folder>`, a loose file of src/ or of a tier, or a top folder. */
export function moduleOf(file: string): string {
  const [top, second, third] = file.split('/');
  if (top !== 'src') return top;
  if (third === undefined) return file;
  if (TIERS.has(second)) return file.split('/').length > 3 ? `src/${second}/${third}` : file;
  return `src/${second}`;
}

/** The layers of docs/architecture.md, bottom up: an import may stay in its layer or go down, never up. */
const LAYERS: [string, number][] = [
  ['entities', 0], ['src/contract', 1], ['src/platform', 2], ['src/model', 3], ['sla', 4], ['src/routing', 5], ['src/core', 6],
  ['src/features', 7], ['src/reactions', 8], ['src/config.ts', 9], ['src/http', 10], ['realtime', 10], ['src/app.ts', 11],
  ['src/clients', 12], ['examples', 12], ['src/tools', 12], ['src/main.ts', 13],
];

export function layerOf(file: string): number {
  const found = LAYERS.find(([prefix]) => file === prefix || file.startsWith(`${prefix}/`));
  if (!found) throw new Error(`${file} is in no layer: add its folder to LAYERS and to docs/architecture.md`);
  return found[1];
}

/** Strongly connected groups of more than one node (Tarjan): each is an import cycle. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); group.push(w); } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

function edgesBy(graph: Map<string, string[]>, node: (file: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const [a, b] = [node(file), node(target)];
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
  }
  return edges;
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
    if (file.startsWith('src/clients/sdk/')) return spec !== 'socket.io-client' && spec !== '@socket.io/component-emitter';
    return file !== 'src/app.ts';
  });
  assert.equal(found, []);
});

boundaries('the client SDK imports only the contract, itself and socket.io-client', async () => {
  const found = await violations(['src/clients/sdk'], (spec) =>
    !spec.startsWith('./') && !spec.startsWith('../../contract/') && spec !== 'socket.io-client' && spec !== '@socket.io/component-emitter');
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
  const found = await violations(['src/clients/sdk'], (spec) => spec.endsWith('contract/schemas.ts'));
  assert.equal(found, []);
});

boundaries('only the entry points (main.ts, the command-line tools of src/tools/cli) read process.env', async () => {
  const found: string[] = [];
  for (const dir of ['src', 'sla', 'entities', 'realtime']) {
    for (const file of await sourceFiles(dir)) {
      if (file === 'src/main.ts' || file.startsWith('src/tools/cli/')) continue;
      if ((await readFile(join(ROOT, file), 'utf8')).includes('process.env')) found.push(file);
    }
  }
  assert.equal(found, []);
});

boundaries('no two modules import each other, directly or round a loop', async () => {
  assert.equal(cycles(edgesBy(await importGraph(), moduleOf)), []);
});

boundaries('no two files import each other, directly or round a loop', async () => {
  assert.equal(cycles(edgesBy(await importGraph(), (file) => file)), []);
});

boundaries('no import runs up the layers (platform, model, SLA, routing, core, features, reactions, transports, app)', async () => {
  const upward: string[] = [];
  for (const [file, targets] of await importGraph()) {
    for (const target of targets) if (layerOf(target) > layerOf(file)) upward.push(`${file} imports ${target}`);
  }
  assert.equal(upward, []);
});

boundaries('the cycle finder finds a loop of three and a pair, and nothing in a line', () => {
  const edges = (pairs: [string, string][]) => {
    const map = new Map<string, Set<string>>();
    for (const [a, b] of pairs) map.set(a, (map.get(a) ?? new Set()).add(b));
    return map;
  };
  assert.equal(cycles(edges([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['x', 'y'], ['y', 'x']])).map((g) => g.join(' ')).sort(), ['a b c', 'x y']);
  assert.equal(cycles(edges([['a', 'b'], ['b', 'c'], ['a', 'c']])), []);
  assert.is(moduleOf('src/core/conversations/create.service.ts'), 'src/core/conversations');
  assert.is(moduleOf('src/http/server.ts'), 'src/http');
  assert.is(moduleOf('src/routing/round-robin.ts'), 'src/routing');
  assert.is(moduleOf('realtime/handlers/message.handlers.ts'), 'realtime');
  assert.is(moduleOf('src/app.ts'), 'src/app.ts');
});

boundaries.run();
