// The demo's live traffic, so that a person opening a sign-in link sees the product work within a minute:
// customers writing through the signed inbound webhook (new conversations and follow-ups), two simulated
// agents taking what round robin gives them (typing, replying, resolving; one in three too late, so SLA
// warnings turn into breaches), and the example FAQ bot answering what it knows. Everything goes through the
// public API and the client SDK, as a real channel, agent or bot would.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { startFaqBot } from '../../../examples/faq-bot.ts';
import { connectClient, type SwitchboardClient } from '../../clients/sdk/index.ts';
import { postInbound } from '../../features/inbound/inbound-client.ts';

export interface SimulationOptions {
  url: string;
  inboxId: string;
  webhookSecret: string;
  botKey: string;
  /** The people the simulation plays (the others are left to whoever opens their links). */
  agents: { id: string; name: string; token: string }[];
  /** The inbox's first-response target: the pace of everything else. */
  slaSeconds: number;
  logger: Logger;
}

export interface Simulation { stop(): Promise<void> }

const CUSTOMERS = ['Carla Jones', 'Dan Okafor', 'Eve Martin', 'Finn Larsen', 'Gia Rossi', 'Hugo Brandt', 'Iris Novak', 'Jon Silva'];
const FIRST_MESSAGES = [
  'Hi, what are your opening hours?',
  'My order #1042 has not arrived yet, can you check?',
  'How much does the pricing start at?',
  'I was charged twice this month.',
  'Can I get a refund for my last order?',
  'The app logs me out every few minutes.',
  'Can I move to the yearly plan?',
  'I would like to talk to a human, please.',
];
const FOLLOW_UPS = ['Any news on this?', 'Thanks, one more thing: can I change my delivery address?', 'Hello? Still there?'];
const REPLIES = [
  'Thanks for waiting! I am looking into it now.',
  'Sorry about that. I have fixed it on our side, can you try again?',
  'Good question: I have sent the details to your email.',
];

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
const between = (low: number, high: number) => low + Math.random() * (high - low);

export async function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const stopping = new AbortController();
  const { signal } = stopping;
  const sla = options.slaSeconds * 1000;
  const running = new Set<Promise<unknown>>();
  const quietly = (what: string) => (err: unknown) => {
    if (!signal.aborted) options.logger.debug({ err: (err as Error).message }, `demo simulation: ${what}`);
  };

  const bot = await startFaqBot({ url: options.url, botKey: options.botKey, inboxId: options.inboxId });
  const agents: SwitchboardClient[] = [];
  for (const agent of options.agents) {
    const client = await connectClient({ url: options.url, token: agent.token });
    agents.push(client);
    let handled = 0;
    const working = new Set<string>();
    client.on('assignment', (e) => {
      if (e.assigneeId !== agent.id || working.has(e.conversationId)) return;
      working.add(e.conversationId);
      // One conversation in three is answered after its first-response target: a warning, then a breach.
      const late = handled++ % 3 === 0;
      const work: Promise<void> = answer(client, e.conversationId, late ? between(1.2, 1.4) * sla : between(0.15, 0.35) * sla)
        .catch(quietly(`${agent.name} on ${e.conversationId}`))
        .finally(() => { working.delete(e.conversationId); running.delete(work); });
      running.add(work);
    });
  }

  async function answer(client: SwitchboardClient, conversationId: string, afterMs: number): Promise<void> {
    await client.join(conversationId);
    await sleep(afterMs, undefined, { signal });
    const typingFor = Math.min(3000, sla / 4);
    for (let t = 0; t < typingFor; t += 500) { client.typing(conversationId); await sleep(500, undefined, { signal }); }
    await client.send(conversationId, pick(REPLIES));
    client.stopTyping(conversationId);
    await sleep(between(0.3, 0.6) * sla, undefined, { signal });
    await client.setStatus(conversationId, 'resolved');
    await client.leave(conversationId);
  }

  // Customers: a new conversation now and then, sometimes a follow-up in a recent one.
  const recent: { handle: string; name: string }[] = [];
  let count = 0;
  const customers = (async () => {
    await sleep(500, undefined, { signal });
    while (!signal.aborted) {
      const followUp = recent.length > 0 && Math.random() < 0.25;
      const name = pick(CUSTOMERS);
      const from = followUp ? pick(recent) : { handle: `${name.split(' ')[0].toLowerCase()}.${++count}@example.com`, name };
      if (!followUp) recent.push(from);
      if (recent.length > 5) recent.shift();
      await postInbound({ url: options.url, inboxId: options.inboxId, secret: options.webhookSecret, from, body: followUp ? pick(FOLLOW_UPS) : pick(FIRST_MESSAGES) })
        .catch(quietly('customer message'));
      await sleep(Math.max(1500, between(0.25, 0.45) * sla), undefined, { signal });
    }
  })().catch(quietly('customers'));

  return {
    async stop() {
      stopping.abort();
      await Promise.allSettled([customers, ...running]);
      bot.stop();
      for (const client of agents) client.close();
    },
  };
}
