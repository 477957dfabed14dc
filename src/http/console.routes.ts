// The browser console at `/`: its page and stylesheet as written, its script bundled by esbuild from
// src/clients/console/main.ts (with the client SDK) once per process, on first request, in memory.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifySchema } from 'fastify';

const CONSOLE_DIR = join(import.meta.dirname, '..', 'clients', 'console');

/** The bundle, built once; a failed build is retried on the next request. */
let bundle: Promise<string> | undefined;

export function buildConsoleBundle(): Promise<string> {
  bundle ??= (async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(CONSOLE_DIR, 'main.ts')],
      bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none', logLevel: 'silent',
    });
    return result.outputFiles[0].text;
  })().catch((err: unknown) => {
    bundle = undefined;
    throw err;
  });
  return bundle;
}

export function consoleRoutes(app: FastifyInstance): void {
  const file = (name: string, type: string) => async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.type(type).header('cache-control', 'no-cache').send(await readFile(join(CONSOLE_DIR, name), 'utf8'));
  // The console's files are not part of the API document.
  const hidden = { schema: { hide: true } as FastifySchema };
  app.get('/', hidden, file('index.html', 'text/html; charset=utf-8'));
  app.get('/console.css', hidden, file('console.css', 'text/css; charset=utf-8'));
  app.get('/favicon.ico', hidden, file('favicon.svg', 'image/svg+xml'));
  app.get('/console.js', hidden, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await buildConsoleBundle()));
}
