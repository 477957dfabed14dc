// The baselines of issue 19: the least a persisted send can do on this stack. Socket.IO and pg, no framework:
// `message:send` is one transaction (bump the conversation's last_seq, last_message_at and preview, insert
// the message), commit, emit `message:new` to the conversation's room, ack. `conversation:join` joins the
// room; `conversation:create` (and POST /conversations) inserts a conversation row (the creation baseline). Its own two tables, in the
// bench's database. Prints its URL like main.ts does.
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
await pool.query(`
  create table if not exists naive_conversations (id uuid primary key, last_seq int not null default 0,
    last_message_at timestamptz, preview text, created_at timestamptz not null default now());
  create table if not exists naive_messages (id uuid primary key, conversation_id uuid not null references naive_conversations(id),
    seq int not null, body text not null, created_at timestamptz not null default now(), unique (conversation_id, seq));`);

type Ack = (answer: unknown) => void;

// The creation baseline over HTTP, like Switchboard's POST /v1/conversations: insert a row, answer it.
const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/conversations') return;
  req.resume();
  req.on('end', () => {
    pool.query({ name: 'create', text: 'insert into naive_conversations (id) values (gen_random_uuid()) returning id, created_at' }).then(({ rows }) => {
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ conversation: rows[0] }));
    }, (err: unknown) => { res.writeHead(500).end(String(err)); });
  });
});
const io = new Server(http);
io.on('connection', (socket) => {
  socket.on('conversation:join', (p: { conversationId: string }, ack: Ack) => {
    void socket.join(`conversation:${p.conversationId}`);
    ack({ ok: true, data: {} });
  });
  socket.on('conversation:create', async (_p: unknown, ack: Ack) => {
    const { rows } = await pool.query('insert into naive_conversations (id) values (gen_random_uuid()) returning id');
    ack({ ok: true, data: { conversation: { id: rows[0].id } } });
  });
  socket.on('message:send', async (p: { conversationId: string; body: string }, ack: Ack) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows: [c] } = await client.query(
        'update naive_conversations set last_seq = last_seq + 1, last_message_at = now(), preview = left($2, 200) where id = $1 returning last_seq',
        [p.conversationId, p.body]);
      const { rows: [m] } = await client.query(
        'insert into naive_messages (id, conversation_id, seq, body) values (gen_random_uuid(), $1, $2, $3) returning id, seq, created_at',
        [p.conversationId, c.last_seq, p.body]);
      await client.query('commit');
      const message = { id: m.id, conversationId: p.conversationId, seq: m.seq, body: p.body, createdAt: m.created_at };
      io.to(`conversation:${p.conversationId}`).emit('message:new', { message });
      ack({ ok: true, data: { message } });
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      ack({ ok: false, error: { code: 'INTERNAL', message: String(err) } });
    } finally {
      client.release();
    }
  });
});
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, msg: 'naive listening' }));
});
process.on('SIGTERM', () => { io.close(); void pool.end().finally(() => process.exit(0)); });
