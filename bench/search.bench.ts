// Full-text search over 1,000,000 messages of one tenant on PostgreSQL (SEARCH_BENCH_TOTAL), through the
// search service as GET /v1/search runs it (ranking, the page's snippets and hydration included), for an agent
// who is not an admin (the access condition included). Bodies are 12 words drawn from a 5,000-word
// vocabulary with a Zipf-like skew; queries are one or two words of middling frequency (what people look for:
// a name, an order word), as typed (prefixes). Prints p50 / p99 over BENCH_QUERIES queries after a warm-up, and
// the plan of one. Its own database, dropped after (SEARCH_BENCH_KEEP=1: kept, and used again by the next run,
// which then skips the seeding).
import { migrate, openOrm } from '../src/platform/db/orm.ts';
import { systemEm, tenantEm } from '../src/platform/db/tenant-scope.ts';
import { search, searchSchema } from '../src/features/search/search.service.ts';
import { benchDatabase, withClient } from './lib/bench-database.ts';

const TOTAL = Number(process.env.SEARCH_BENCH_TOTAL ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const PER_CONVERSATION = 50;
const VOCABULARY = 5000;

/** A made-up word per rank: pronounceable, distinct, not English (so stemming leaves it whole). */
const word = (i: number) => {
  const syllables = ['ka', 'lo', 'mi', 'ten', 'ro', 'vas', 'du', 'pel', 'sir', 'no', 'gat', 'bu'];
  let n = i + 1;
  let w = '';
  while (n > 0) { w += syllables[n % syllables.length]; n = Math.floor(n / syllables.length); }
  return `${w}x`;
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

const db = await benchDatabase('search', { keep: Boolean(process.env.SEARCH_BENCH_KEEP) });
const url = db.url;
const exists = db.existed;
const orm = await openOrm({ databaseUrl: url, dataDir: ':memory:' });
try {
  await migrate(orm);
  let tenant = crypto.randomUUID();
  let agent = crypto.randomUUID();
  const seedStart = performance.now();
  if (exists) {
    const r = (await withClient((c) => c.query(`select tenant_id, id from users limit 1`), url)).rows[0];
    tenant = r.tenant_id; agent = r.id;
  } else await withClient(async (c) => {
    const inbox = crypto.randomUUID();
    await c.query(`insert into tenants (id, name, created_at) values ($1, 'bench', now())`, [tenant]);
    await c.query(`insert into users (id, tenant_id, name, role, created_at, updated_at) values ($1, $2, 'Agent', 'agent', now(), now())`, [agent, tenant]);
    await c.query(`insert into inboxes (id, tenant_id, name, channel, visibility, webhook_secret, created_at, updated_at) values ($1, $2, 'bench', 'email', 'share_everything', 'x', now(), now())`, [inbox, tenant]);
    await c.query(`insert into conversations (id, tenant_id, inbox_id, channel, visibility, status, created_at, updated_at)
      select gen_random_uuid(), $1, $2, 'email', 'share_everything', 'open', now(), now() from generate_series(1, $3)`, [tenant, inbox, Math.ceil(TOTAL / PER_CONVERSATION)]);
    // The index is built once after the rows (as a restore would), not row by row.
    await c.query('drop index messages_search_index');
    // A Zipf-like draw: rank = ceil(V ^ random()) favours the first words (an array lookup per word).
    await c.query(`insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, body, status, sent_at, created_at, updated_at)
      select gen_random_uuid(), $1, c.id, $2, s.seq, case when s.seq % 2 = 0 then 'outbound' else 'inbound' end, case when s.seq % 2 = 0 then 'user' else 'contact' end,
        (select string_agg(($3::text[])[greatest(1, ceil(power($4::float, random()))::int)], ' ') from generate_series(1, 12) w where w > s.seq * 0),
        'sent', now() - (s.seq || ' minutes')::interval, now(), now()
      from conversations c cross join generate_series(1, $5) s(seq)`, [tenant, inbox, Array.from({ length: VOCABULARY }, (_, i) => word(i)), VOCABULARY, PER_CONVERSATION]);
    await c.query(`create index "messages_search_index" on "messages" using gin (to_tsvector("search_config", coalesce("subject", '') || ' ' || "body"))`);
    await c.query('analyze');
  }, url);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const [{ n: messages }] = (await withClient((c) => c.query('select count(*)::int as n from messages'), url)).rows;

  const em = () => tenantEm(orm, tenant, 'agent');
  const reader = { kind: 'user' as const, tenantId: tenant, userId: agent, role: 'agent' as const, name: 'Agent' };
  // Middling words (ranks 200–2,000: each in about 0.05–0.5 % of messages), as typed: one word, or two.
  const queries = Array.from({ length: QUERIES + 20 }, (_, i) => {
    const a = word(200 + Math.floor(Math.random() * 1800));
    const typed = i % 3 === 2 ? `${a} ${word(200 + Math.floor(Math.random() * 1800)).slice(0, 4)}` : a.slice(0, Math.max(4, a.length - 1));
    return searchSchema.parse({ q: typed, types: 'messages' });
  });
  const times: number[] = [];
  let hits = 0;
  for (const [i, input] of queries.entries()) {
    const started = performance.now();
    const result = await search(em(), systemEm(orm), reader, input);
    if (i >= 20) { times.push(performance.now() - started); hits += result.hits.length; }
  }
  const sample = word(500);
  const plan = await withClient((c) => c.query(`explain (analyze, buffers) select m.id from messages m
    where to_tsvector(m.search_config, coalesce(m.subject, '') || ' ' || m.body) @@ to_tsquery('english', $1) limit 21`, [`${sample}:*`]), url);
  const planText = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  const summary = {
    bench: 'search', messages, seedSeconds: Number(seedSeconds.toFixed(1)), queries: times.length,
    p50Ms: Number(percentile(times, 0.5).toFixed(1)), p99Ms: Number(percentile(times, 0.99).toFixed(1)), maxMs: Number(Math.max(...times).toFixed(1)),
    meanHits: Number((hits / times.length).toFixed(1)), usesIndex: /messages_search_index/.test(planText),
  };
  console.log(JSON.stringify(summary));
  console.log(`search over ${messages} messages: ${times.length} queries, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms (max ${summary.maxMs} ms), `
    + `${summary.meanHits} hits per page on average; GIN index ${summary.usesIndex ? 'used' : 'NOT used'}`);
} finally {
  await orm.close();
  await db.drop();
}
