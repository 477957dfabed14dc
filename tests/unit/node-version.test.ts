// An old Node is refused with one sentence naming the version and a way to get it; the check and the
// package's engines field agree.
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeVersionProblem, REQUIRED_NODE } from '../../src/tools/check-node.mjs';
import { serverNodeFlags } from '../../src/tools/node-flags.mjs';

const nodeVersion = suite('node version');
const root = new URL('../../', import.meta.url);

nodeVersion('Node 20 and 22.17 are refused with the required version and a way to get it; 22.18, 22.20 and 24 pass', () => {
  for (const old of ['20.20.2', '22.17.1', '18.0.0']) {
    const problem = nodeVersionProblem(old);
    assert.ok(problem?.includes('Node.js 22.18 or newer') && problem.includes(old) && problem.includes('.nvmrc'), String(problem));
  }
  for (const fine of ['22.18.0', '22.20.5', '24.1.0', '23.0.0']) assert.is(nodeVersionProblem(fine), null, fine);
});

nodeVersion('package.json engines, .nvmrc and the install, start and test scripts follow the check', async () => {
  const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
  assert.is(pkg.engines.node, `>=${REQUIRED_NODE}`);
  assert.is(pkg.scripts.preinstall, 'node src/tools/check-node.mjs');
  assert.ok(pkg.scripts.start.startsWith('node src/tools/check-node.mjs && '));
  assert.ok(pkg.scripts.test.startsWith('node src/tools/check-node.mjs && '));
  assert.is(nodeVersionProblem(`${(await readFile(new URL('.nvmrc', root), 'utf8')).trim()}.99.0`), null);
});

nodeVersion('run as a script on this Node it says nothing and exits 0', async () => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['src/tools/check-node.mjs'], { cwd: root });
  assert.is(stdout + stderr, '');
});

nodeVersion('the server runs with AsyncLocalStorage on AsyncContextFrame: the flag on Node 22 and 23, none on 24, which has it by default and refuses the flag', async () => {
  assert.equal(serverNodeFlags('22.18.0'), ['--experimental-async-context-frame']);
  assert.equal(serverNodeFlags('23.11.1'), ['--experimental-async-context-frame']);
  assert.equal(serverNodeFlags('24.1.0'), []);
  const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
  assert.ok(pkg.scripts.start.endsWith('node $(node src/tools/node-flags.mjs) src/main.ts'), pkg.scripts.start);
  // This Node accepts what the script prints, and it does switch the implementation (no async hook is installed by a store).
  const printed = (await promisify(execFile)(process.execPath, ['src/tools/node-flags.mjs'], { cwd: root })).stdout.trim();
  const probe = `const { AsyncLocalStorage } = require('node:async_hooks'); const s = new AsyncLocalStorage();
    s.run(1, () => setTimeout(() => console.log(String(s.getStore()), typeof s._enable === 'function' ? 'hooks' : 'frame')));`;
  const { stdout } = await promisify(execFile)(process.execPath, [...printed.split(' ').filter(Boolean), '-e', probe], { cwd: root });
  assert.is(stdout.trim(), '1 frame');
});

nodeVersion.run();
