// Runs `node src/main.ts` (with the flags `npm start` gives it) as a real child process and waits for what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { serverNodeFlags } from '../../src/tools/node-flags.mjs';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'main.ts');

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startProcess(env: Record<string, string>, args: string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...serverNodeFlags(process.versions.node), MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    output: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) { cleanup(); resolve(match); }
        };
        const onExit = () => { cleanup(); reject(new Error(`process exited before ${pattern}:\n${text}`)); };
        const timer = setTimeout(() => { cleanup(); reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`)); }, timeoutMs);
        const cleanup = () => { clearTimeout(timer); waiters.delete(check); child.off('exit', onExit); };
        waiters.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}
