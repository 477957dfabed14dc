// Builds `switchboard/client` as plain JavaScript for projects that install the package: Node strips
// types only outside node_modules, so an installed copy cannot run src/clients/sdk/*.ts. `npm pack` and
// `npm publish` run this (prepack); this repository itself imports the TypeScript source.
//
//   node src/tools/packaging/build-client.ts [outDir]     (default: src/clients/sdk/dist)
import { join, resolve } from 'node:path';

export const CLIENT_ENTRY = join(import.meta.dirname, '..', '..', 'clients', 'sdk', 'index.ts');
export const DEFAULT_OUT_DIR = join(import.meta.dirname, '..', '..', 'clients', 'sdk', 'dist');

/** Bundles the SDK into outDir/index.js (ES module); socket.io-client stays a dependency, not a copy. */
export async function buildClient(outDir: string = DEFAULT_OUT_DIR): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(outDir, 'index.js');
  await esbuild.build({
    entryPoints: [CLIENT_ENTRY], outfile, bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
    external: ['socket.io-client', '@socket.io/component-emitter'], legalComments: 'none', logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  console.log(`wrote ${await buildClient(process.argv[2] ? resolve(process.argv[2]) : undefined)}`);
}
