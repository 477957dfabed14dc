// The connect baseline: plain Socket.IO doing the same authentication work as Switchboard's handshake (verify
// the HS256 JWT with jose, read the user's row from PostgreSQL) and joining the same two rooms. Prints its URL.
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { Server } from 'socket.io';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const key = new TextEncoder().encode(process.env.JWT_SECRET);
const http = createServer();
const io = new Server(http);
io.use(async (socket, next) => {
  try {
    const { payload } = await jwtVerify(String(socket.handshake.auth.token), key, { algorithms: ['HS256'] });
    const { rows: [user] } = await pool.query({
      name: 'user', text: 'select id, tenant_id, role, name from users where id = $1 and tenant_id = $2 and active', values: [payload.sub, payload.tid],
    });
    if (!user) return next(new Error('UNAUTHORIZED'));
    socket.data = user;
    next();
  } catch {
    next(new Error('UNAUTHORIZED'));
  }
});
io.on('connection', (socket) => { void socket.join([`tenant:${socket.data.tenant_id}`, `user:${socket.data.id}`]); });
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, msg: 'auth listening' }));
});
process.on('SIGTERM', () => { io.close(); void pool.end().finally(() => process.exit(0)); });
