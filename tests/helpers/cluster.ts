// Several real node processes (`node src/main.ts`) on one PostgreSQL database and one Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ADMIN_KEY, TEST_JWT_SECRET, TEST_LIMITS, TEST_WEBHOOK_ALLOW } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { startProcess, type ServerProcess } from './process.ts';

export interface Node {
  url: string;
  process: ServerProcess;
}

export interface Cluster {
  nodes: Node[];
  db: TestDatabase;
  env: Record<string, string>;
  /** Starts one more node with the same settings. */
  add(): Promise<Node>;
  stop(): Promise<void>;
}

const START_MS = 20_000;

export async function startNode(env: Record<string, string>): Promise<Node> {
  const process = startProcess(env);
  const [, url] = await process.waitFor(/"url":"(http:\/\/[^"]+)".*switchboard listening/, START_MS);
  return { url, process };
}

export async function startCluster(size: number, options: { redisUrl?: string; env?: Record<string, string> } = {}): Promise<Cluster> {
  const db = await createTestDatabase();
  const env: Record<string, string> = {
    PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: db.databaseUrl!, REDIS_URL: options.redisUrl ?? process.env.REDIS_URL!,
    ADMIN_KEY: TEST_ADMIN_KEY, JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: await mkdtemp(join(tmpdir(), 'sb-node-')),
    WEBHOOK_ALLOW_PRIVATE: TEST_WEBHOOK_ALLOW, ...TEST_LIMITS, VALIDATE_RESPONSES: 'true', ...options.env,
  };
  // The first node migrates alone; the others start on the migrated database.
  const nodes = [await startNode(env)];
  nodes.push(...(await Promise.all(Array.from({ length: size - 1 }, () => startNode(env)))));
  return {
    nodes, db, env,
    async add() {
      const node = await startNode(env);
      nodes.push(node);
      return node;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.process.stop('SIGKILL')));
      await db.drop();
    },
  };
}

/** A free loopback port, for a Redis the test starts and stops itself. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of the test's own, on its own port, that it can stop and start again. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${text}`)), 10_000);
        child!.stdout!.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('Ready to accept connections')) { clearTimeout(timer); resolve(); }
        });
        child!.once('exit', () => { clearTimeout(timer); reject(new Error(`redis-server exited:\n${text}`)); });
      });
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
      child = null;
    },
  };
  await own.start();
  return own;
}
