// Spawns member-client processes and talks to them: start, reset, report, stop.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface MemberGroup {
  /** The client processes' pids, for their CPU time. */
  pids: number[];
  reset(): Promise<void>;
  /** Deliveries received so far (cheap to ask often). */
  count(): Promise<number>;
  report(): Promise<{ received: number; lastAt: number; latencies: number[] }>;
  stop(): void;
}

function ask<T>(child: ChildProcess, msg: unknown, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: any) => {
      if (answer.error) reject(new Error(answer.error));
      else if (key in answer) { child.off('message', onMessage); resolve(answer as T); }
    };
    child.on('message', onMessage);
    child.send(msg as never);
  });
}

/** `processes` children, each holding count / processes sockets joined to the room. */
export async function startMembers(processes: number, cfg: { url: string; tokens: (string | null)[]; count: number; conversationId: string; event: string; mode: 'switchboard' | 'plain' }): Promise<MemberGroup> {
  const children = Array.from({ length: processes }, () => fork(join(import.meta.dirname, 'member-client.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const per = Math.ceil(cfg.count / processes);
  await Promise.all(children.map((child, i) => ask(child, { cmd: 'start', cfg: { ...cfg, count: Math.min(per, cfg.count - i * per), tokens: cfg.tokens.slice(i * per, (i + 1) * per).length ? cfg.tokens.slice(i * per, (i + 1) * per) : cfg.tokens } }, 'ready')));
  return {
    pids: children.map((c) => c.pid!),
    async reset() { await Promise.all(children.map((c) => ask(c, { cmd: 'reset' }, 'reset'))); },
    async count() {
      const parts = await Promise.all(children.map((c) => ask<{ count: number }>(c, { cmd: 'count' }, 'count')));
      return parts.reduce((n, p) => n + p.count, 0);
    },
    async report() {
      const parts = await Promise.all(children.map((c) => ask<{ received: number; lastAt: number; latencies: number[] }>(c, { cmd: 'report' }, 'received')));
      return {
        received: parts.reduce((n, p) => n + p.received, 0),
        lastAt: Math.max(...parts.map((p) => p.lastAt)),
        latencies: parts.flatMap((p) => p.latencies),
      };
    },
    stop() { for (const c of children) c.send({ cmd: 'stop' }); },
  };
}
