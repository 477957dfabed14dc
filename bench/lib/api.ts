// Setting up bench data through the public HTTP API: a tenant, users, inboxes, conversations.
import { io, type Socket } from 'socket.io-client';
import { BENCH_ADMIN_KEY } from './server-process.ts';

export function api(baseUrl: string) {
  return async function post(path: string, body: unknown, token?: string): Promise<any> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    else headers['x-admin-key'] = BENCH_ADMIN_KEY;
    const res = await fetch(baseUrl + path, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

/** A tenant with `users` agents; answers the admin's token and the agents' tokens and ids. */
export async function benchTenant(baseUrl: string, users: number, extra: Record<string, unknown> = {}) {
  const post = api(baseUrl);
  const tenant = await post('/v1/tenants', { name: 'Bench', defaultInboxVisibility: 'share_everything' });
  const admin: string = tenant.admin.token;
  const agents: { id: string; token: string }[] = [];
  for (let i = 0; i < users; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, users - i) }, (_, j) =>
      post('/v1/users', { name: `Agent ${i + j}`, role: 'agent', ...extra }, admin)));
    agents.push(...batch.map((r) => ({ id: r.user.id as string, token: r.token as string })));
  }
  return { post: (path: string, body: unknown) => post(path, body, admin), admin, agents, tenantId: tenant.tenant.id as string };
}

export function connectSocket(url: string, token?: string): Promise<Socket> {
  const s = io(url, { auth: token ? { token } : {}, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
}
