// `npm start -- --demo` lives: within its first SLA window and a half, a supervisor who opened the printed link
// sees round robin give conversations to two agents, an agent typing, the FAQ bot answering and an SLA warning
// turning into a breach. Run as a user runs it (a child process, the embedded database), with a short SLA.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startProcess, type ServerProcess } from '../helpers/process.ts';
import { connect, ok, type ClientSocket } from '../helpers/sockets.ts';

const SLA_SECONDS = 6;
let server: ServerProcess;
let supervisor: ClientSocket | undefined;
const demo = suite('live demo');

demo.before(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-demo-'));
  server = startProcess({ PORT: '0', DATA_DIR: dataDir, DEMO_SLA_SECONDS: String(SLA_SECONDS) }, ['--demo']);
});
demo.after(async () => {
  supervisor?.close();
  await server.stop('SIGTERM');
});

demo('round robin between two agents, typing, a bot reply and a warning then a breach reach the supervisor', async () => {
  const [, url] = await server.waitFor(/SWITCHBOARD_URL=(\S+) SWITCHBOARD_BOT_KEY=/, 20_000);
  const [, token] = server.output().match(/Sam Supervisor \(supervisor\): \S+#token=(\S+)/)!;
  assert.not.match(server.output(), /"level":30/, 'the demo keeps the terminal to its links (no request logs)');
  supervisor = await connect(url, token);
  const s = supervisor;
  const seen = { assignees: new Set<string>(), typing: false, botReply: false, warned: new Set<string>(), breachedAfterWarning: false };
  const joined = new Set<string>();
  const done = () => seen.assignees.size >= 2 && seen.typing && seen.botReply && seen.breachedAfterWarning;
  const finished = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`after ${SLA_SECONDS * 6} s: ${JSON.stringify({ ...seen, assignees: seen.assignees.size, warned: seen.warned.size })}`)), SLA_SECONDS * 6000);
    const check = () => { if (done()) { clearTimeout(timer); resolve(); } };
    s.on('assignment', (e) => { if (e.assigneeId) seen.assignees.add(e.assigneeId); check(); });
    s.on('typing', (e) => { if (e.isTyping) seen.typing = true; check(); });
    s.on('message:new', ({ message }) => { if (message.senderType === 'bot' && message.direction === 'outbound') seen.botReply = true; check(); });
    s.on('sla:warning', (e) => { if (e.kind === 'first_response') seen.warned.add(e.conversationId); });
    s.on('sla:breach', (e) => { if (seen.warned.has(e.conversationId)) seen.breachedAfterWarning = true; check(); });
    // The board opens every conversation that shows up, to hear its messages and typing.
    s.on('conversations:changed', ({ conversations }) => {
      for (const c of conversations) {
        if (joined.has(c.id)) continue;
        joined.add(c.id);
        ok(s, 'conversation:join', { conversationId: c.id }).catch(() => joined.delete(c.id));
      }
    });
  });
  await ok(s, 'conversations:watch', {});
  await finished;
});

demo.run();
