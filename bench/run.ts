// `npm run bench -- <name>`: runs bench/<name>.bench.ts; without a name, lists them. `npm run bench` starts this with
// the Node flags `npm start` gives the server (src/tools/node-flags.mjs), for the benches that run server code in-process.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const names = (await readdir(import.meta.dirname)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
const name = process.argv[2];
if (!name || !names.includes(name)) {
  console.log(`usage: npm run bench -- <name>\navailable: ${names.join(', ')}`);
  process.exit(name ? 1 : 0);
}
await import(join(import.meta.dirname, `${name}.bench.ts`));
