// npm run inbound -- --inbox <id> --secret <webhook secret> --from <handle> [--name <name>] [--url <server>] "text"
// Delivers one customer message as a channel would: signed with the inbox's webhook secret. Prints the answer.
import { parseArgs } from 'node:util';
import { postInbound } from '../../features/inbound/inbound-client.ts';

const USAGE = 'usage: npm run inbound -- --inbox <inbox id> --secret <webhook secret> --from <handle> [--name <name>] '
  + '[--url http://127.0.0.1:3000] [--id <external id>] "message text"\n'
  + '(--url, --inbox and --secret default to SWITCHBOARD_URL, SWITCHBOARD_INBOX_ID and SWITCHBOARD_WEBHOOK_SECRET)';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:3000' },
    inbox: { type: 'string', default: process.env.SWITCHBOARD_INBOX_ID },
    secret: { type: 'string', default: process.env.SWITCHBOARD_WEBHOOK_SECRET },
    from: { type: 'string' },
    name: { type: 'string' },
    id: { type: 'string' },
  },
});
const body = positionals.join(' ');
if (!values.inbox || !values.secret || !values.from || !body) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const answer = await postInbound({
    url: values.url!, inboxId: values.inbox, secret: values.secret, body, externalId: values.id,
    from: { handle: values.from, ...(values.name ? { name: values.name } : {}) },
  });
  console.log(JSON.stringify(answer));
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
