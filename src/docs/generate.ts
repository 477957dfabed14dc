// npm run docs: writes the contract documents from the code: docs/openapi.json (the document the server
// serves at GET /openapi.json) and docs/realtime.md (from realtime/spec.ts). `--check` writes nothing and
// fails when a committed document differs from what the code makes (the contract test runs the same check).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bootstrap } from '../app.ts';
import { parseEnv } from '../config.ts';
import { createLogger } from '../logger.ts';
import { renderRealtimeDocs } from './realtime-markdown.ts';

export const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));

/** The OpenAPI document as the server makes it: booted once on an in-memory database, asked, stopped. */
export async function renderOpenApi(): Promise<string> {
  const env = parseEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: ':memory:' });
  const app = await bootstrap({ ...env, ADMIN_KEY: 'docs-only-admin-key-0000', JWT_SECRET: 'docs-only-secret-0000000000000000000000' }, { logger: createLogger('silent') });
  try {
    const answer = await app.http.inject({ method: 'GET', url: '/openapi.json' });
    if (answer.statusCode !== 200) throw new Error(`GET /openapi.json answered ${answer.statusCode}`);
    return `${JSON.stringify(answer.json(), null, 2)}\n`;
  } finally {
    await app.stop();
  }
}

export async function renderDocuments(): Promise<Record<string, string>> {
  return { 'openapi.json': await renderOpenApi(), 'realtime.md': `${renderRealtimeDocs()}\n` };
}

/** The documents whose committed text differs from the code's. */
export async function staleDocuments(): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, text] of Object.entries(await renderDocuments())) {
    const committed = await readFile(DOCS_DIR + name, 'utf8').catch(() => '');
    if (committed !== text) stale.push(`docs/${name}`);
  }
  return stale;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--check')) {
    const stale = await staleDocuments();
    if (stale.length) {
      console.error(`out of date: ${stale.join(', ')} (run npm run docs)`);
      process.exit(1);
    }
    console.log('docs are up to date');
  } else {
    for (const [name, text] of Object.entries(await renderDocuments())) await writeFile(DOCS_DIR + name, text);
    console.log('wrote docs/openapi.json and docs/realtime.md');
  }
}
