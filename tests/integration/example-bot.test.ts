// The FAQ bot of examples/ (built on the client SDK) joins a new conversation of its inbox, answers, and
// hands off to a person when asked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startFaqBot, type FaqBot } from '../../examples/faq-bot.ts';
import { connectClient, type MessageDto, type SwitchboardClient } from '../../src/clients/sdk/index.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let bot: FaqBot;
let watcher: SwitchboardClient;

const example = suite('example FAQ bot');

example.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Faq');
  bot = await startFaqBot({ url: server.url, botKey: t.botKey, inboxId: t.inboxId });
  watcher = await connectClient({ url: server.url, token: t.adminToken });
});
example.after(async () => {
  bot.stop();
  watcher.close();
  await server.stop();
});

/** The next bot message of the conversation, as the admin's client sees it. */
function nextBotMessage(conversationId: string): Promise<MessageDto> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bot did not answer')), 10_000);
    const on = (m: MessageDto) => {
      if (m.conversationId !== conversationId || m.senderType !== 'bot') return;
      clearTimeout(timer);
      watcher.off('message', on);
      resolve(m);
    };
    watcher.on('message', on);
  });
}

example('answers a question in a new conversation, then hands off when a person is asked for', async () => {
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'q1', from: { handle: 'faq@example.com' }, body: 'What are your opening hours?' });
  assert.is(first.status, 202);
  const conversationId = first.body.conversationId as string;
  const answered = nextBotMessage(conversationId);
  await watcher.join(conversationId);
  assert.match((await answered).body, /Monday to Friday/);

  const handoff = nextBotMessage(conversationId);
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'q2', from: { handle: 'faq@example.com' }, body: 'Can I talk to a human please?' });
  assert.match((await handoff).body, /person/);
  assert.ok(bot.handedOff.has(conversationId));
});

example.run();
