// npm run docs: writes the contract documents from the code: docs/openapi.json (the document the server
// serves at GET /openapi.json) and docs/realtime.md (from realtime/spec.ts). tests/integration/contract.test.ts
// fails when the committed documents differ from what the code makes.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bootstrap } from '../../app.ts';
import { parseEnv } from '../../config.ts';
import { createLogger } from '../../platform/logger.ts';
import { renderRealtimeDocs } from './realtime-markdown.ts';

export const DOCS_DIR = fileURLToPath(new URL('../../../docs/', import.meta.url));

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

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, text] of Object.entries(await renderDocuments())) await writeFile(DOCS_DIR + name, text);
  console.log('wrote docs/openapi.json and docs/realtime.md');
}
