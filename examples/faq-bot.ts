// An FAQ bot on the client SDK: it joins every new conversation of one inbox and answers the questions it
// knows while the customer waits for a person (the conversation may already be assigned: round robin picks
// the person, the bot covers until they write). It stops in a conversation once a person has written there,
// or hands off when the customer asks for one.
//
//   SWITCHBOARD_URL=http://127.0.0.1:3000 SWITCHBOARD_BOT_KEY=sbk_... SWITCHBOARD_INBOX_ID=... node examples/faq-bot.ts
import { fileURLToPath } from 'node:url';
// A project that depends on this package writes `from 'switchboard/client'`; inside this repository the
// example imports the source, which Node runs without a build.
import { connectClient, type ConversationDto, type MessageDto, type SwitchboardClient } from '../src/clients/sdk/index.ts';

const ANSWERS: [RegExp, string][] = [
  [/\b(hours|open|opening)\b/i, 'We answer Monday to Friday, 9:00 to 17:30.'],
  [/\b(price|pricing|cost)\b/i, 'Plans start at 20 € per agent per month.'],
  [/\b(refund|money back)\b/i, 'Refunds are possible within 30 days of purchase.'],
];
const HANDOFF = /\b(human|person|agent|someone)\b/i;

export interface FaqBot {
  client: SwitchboardClient;
  /** Conversations handed to people; the bot no longer answers them. */
  handedOff: Set<string>;
  stop(): void;
}

export async function startFaqBot(options: { url: string; botKey: string; inboxId: string }): Promise<FaqBot> {
  const client = await connectClient({ url: options.url, token: options.botKey });
  const joined = new Set<string>();
  const handedOff = new Set<string>();

  const report = (err: unknown) => { if ((err as { code?: string }).code !== 'CLOSED') console.error('faq bot:', err); };
  const handOff = async (conversationId: string, say?: string) => {
    if (handedOff.has(conversationId)) return;
    handedOff.add(conversationId);
    if (say) await client.send(conversationId, say);
    await client.leave(conversationId);
  };

  const greeted = new Set<string>();

  client.on('conversation', (c: ConversationDto) => {
    if (c.inboxId !== options.inboxId || handedOff.has(c.id)) return;
    if (c.status === 'resolved') { if (joined.has(c.id)) handOff(c.id).catch(report); return; }
    // A bot takes conversations no person has touched yet (and open ones handed back to it).
    if (joined.has(c.id) || (c.status !== 'new' && c.status !== 'open')) return;
    joined.add(c.id);
    client.join(c.id).catch(() => joined.delete(c.id));
  });

  client.on('message', (m: MessageDto) => {
    if (handedOff.has(m.conversationId)) return;
    // A person wrote: the conversation is theirs now.
    if (m.direction === 'outbound' && m.senderType === 'user') { handOff(m.conversationId).catch(report); return; }
    if (m.direction !== 'inbound') return;
    if (HANDOFF.test(m.body)) {
      handOff(m.conversationId, 'Connecting you with a person now; they will answer here.').catch(report);
      return;
    }
    const known = ANSWERS.find(([question]) => question.test(m.body))?.[1];
    // An unknown question gets one word of welcome per conversation, not one per message.
    const answer = known ?? (greeted.has(m.conversationId) ? null : 'Thanks! A person will answer here shortly. Meanwhile I can help with opening hours, pricing and refunds.');
    greeted.add(m.conversationId);
    if (answer) client.send(m.conversationId, answer).catch(report);
  });

  // New conversations of the inbox arrive as `conversation` events once the bot watches it.
  await client.watchConversations(options.inboxId);
  return { client, handedOff, stop: () => client.close() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { SWITCHBOARD_URL = 'http://localhost:3000', SWITCHBOARD_BOT_KEY, SWITCHBOARD_INBOX_ID } = process.env;
  if (!SWITCHBOARD_BOT_KEY || !SWITCHBOARD_INBOX_ID) {
    console.error('set SWITCHBOARD_BOT_KEY and SWITCHBOARD_INBOX_ID');
    process.exit(1);
  }
  await startFaqBot({ url: SWITCHBOARD_URL, botKey: SWITCHBOARD_BOT_KEY, inboxId: SWITCHBOARD_INBOX_ID });
  console.log('faq bot running');
}
