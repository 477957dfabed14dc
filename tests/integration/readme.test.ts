// The README's quick start, run as written against a fresh `npm start` server: its shell blocks in order,
// with only the server's address and data folder swapped for the test server's. It must end on its own
// with the agent's reply stored. The set-up section names exactly the two commands.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startProcess, type ServerProcess } from '../helpers/process.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let server: ServerProcess;
let url: string;
let dataDir: string;
const readme = suite('README');

/** The ```sh blocks of one section. */
function shellBlocks(text: string, heading: string): string[] {
  const start = text.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 4);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

readme.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-readme-'));
  server = startProcess({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)".*switchboard listening/, 20_000);
});
readme.after(async () => { await server.stop('SIGTERM'); });

readme('set up names two commands (one starts the server, one runs the tests); README and docs/ link only what the repository has', async () => {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  assert.equal(shellBlocks(text, 'Set up').map((b) => b.trim()), ['npm install && npm start -- --demo', 'npm install && npm test']);
  for (const [name, body] of [['README.md', text], ...await Promise.all((await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md'))
    .map(async (f) => [`docs/${f}`, await readFile(join(ROOT, 'docs', f), 'utf8')]))]) {
    assert.not.match(body, /\.\.\/shared|PROTOCOL\.md|DESIGN\.md/, `${name} points outside the repository`);
    // Every relative link of the README and docs/ names a file that exists.
    for (const [, target] of body.matchAll(/\]\(((?!https?:|#)[^)#]+)(#[^)]*)?\)/g)) {
      const base = name === 'README.md' ? ROOT : join(ROOT, 'docs');
      await stat(join(base, target)).catch(() => assert.unreachable(`${name} links ${target}, which does not exist`));
    }
  }
});

readme('the quick start runs from top to bottom and ends with the agent\'s reply stored', async () => {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  const script = ['set -euo pipefail', ...shellBlocks(text, 'Quick start')].join('\n')
    .replaceAll('http://127.0.0.1:3000', url)
    .replaceAll('./.data/', `${dataDir}/`);
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: ROOT, timeout: 60_000, env: { PATH: process.env.PATH ?? '' } })
    .catch((err: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`the walkthrough failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    });
  assert.match(stdout, 'assigned to Ann: "Hi, where is my order #1042?"');
  assert.match(stdout, 'Ann replied (seq 2)');
  assert.match(stdout, /^1 inbound Hi, where is my order #1042\?$/m);
  assert.match(stdout, /^2 outbound Hi Carla, it ships today\.$/m);
});

readme.run();
