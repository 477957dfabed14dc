// `npm start -- --demo`: a demo tenant (people, an inbox with a short SLA, two waiting conversations) built
// through the public API, and sign-in links for the console. The tenant is remembered in DATA_DIR/demo.json,
// so a later `--demo` start prints fresh links to the same tenant instead of building another.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { createTokenService } from '../auth/tokens.ts';
import type { Role } from '../auth/principal.ts';
import { sql } from '../db/sql.ts';
import { systemEm } from '../db/tenant-scope.ts';
import { sign } from '../inbound/signature.ts';

interface DemoPerson { id: string; name: string; role: Exclude<Role, 'bot'> }
interface DemoState { tenantId: string; people: DemoPerson[]; inboxId: string }

export interface DemoLinks {
  consoleUrl: string;
  inboxId: string;
  people: (DemoPerson & { token: string; link: string })[];
  /** Only when the tenant was just built: bot keys are shown once. */
  botKey?: string;
}

const statePath = (app: App) => (app.config.DATA_DIR === ':memory:' ? null : join(app.config.DATA_DIR, 'demo.json'));

async function readState(app: App): Promise<DemoState | null> {
  const path = statePath(app);
  if (!path) return null;
  const state = await readFile(path, 'utf8').then((text) => JSON.parse(text) as DemoState, () => null);
  if (!state) return null;
  const [tenant] = await sql(systemEm(app.orm), 'select id from tenants where id = ?', [state.tenantId]);
  return tenant ? state : null;
}

async function api(app: App, method: string, path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(new URL(path, app.url), { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`demo: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function buildTenant(app: App): Promise<{ state: DemoState; botKey: string }> {
  const created = await api(app, 'POST', '/v1/tenants', { name: 'Demo' }, { 'x-admin-key': app.config.ADMIN_KEY });
  const as = { authorization: `Bearer ${created.admin.token}` };
  const people: DemoPerson[] = [{ id: created.admin.user.id, name: created.admin.user.name, role: 'admin' }];
  for (const [name, role] of [['Sam Supervisor', 'supervisor'], ['Ada Agent', 'agent'], ['Ben Agent', 'agent']] as const) {
    const { user } = await api(app, 'POST', '/v1/users', { name, role, capacity: role === 'agent' ? 5 : undefined }, as);
    people.push({ id: user.id, name, role });
  }
  const bot = await api(app, 'POST', '/v1/users', { name: 'FAQ Bot', role: 'bot' }, as);
  // A short first-response target, so that the supervisor board shows a breach within minutes.
  const { policy } = await api(app, 'POST', '/v1/sla-policies', { name: 'Demo (2 min first response)', firstResponseMinutes: 2, resolutionMinutes: 60, isDefault: true }, as);
  const agents = people.filter((p) => p.role === 'agent').map((p) => p.id);
  const { inbox, webhookSecret } = await api(app, 'POST', '/v1/inboxes', { name: 'Support', channel: 'chat', memberIds: agents, slaPolicyId: policy.id }, as);
  for (const [i, handle, name, body] of [[1, 'carla@example.com', 'Carla', 'Hi, where is my order #1042?'], [2, 'dan@example.com', 'Dan', 'Can I move to the yearly plan?']] as const) {
    const raw = JSON.stringify({ externalId: `demo-${i}`, from: { handle, name }, body });
    const res = await fetch(new URL(`/v1/inboxes/${inbox.id}/inbound`, app.url), {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-switchboard-signature': sign(webhookSecret, raw, Math.floor(Date.now() / 1000)) }, body: raw,
    });
    if (res.status !== 202) throw new Error(`demo: inbound → ${res.status}`);
  }
  return { state: { tenantId: created.tenant.id, people, inboxId: inbox.id }, botKey: bot.token };
}

/** The demo tenant (built on first use) and fresh sign-in links for its people. */
export async function ensureDemoTenant(app: App): Promise<DemoLinks> {
  let state = await readState(app);
  let botKey: string | undefined;
  if (!state) {
    ({ state, botKey } = await buildTenant(app));
    const path = statePath(app);
    if (path) await writeFile(path, JSON.stringify(state, null, 2), { mode: 0o600 });
  }
  const tokens = createTokenService(app.config.JWT_SECRET, app.config.TOKEN_TTL_SECONDS);
  const consoleUrl = `${app.url}/`;
  const people = await Promise.all(state.people.map(async (p) => {
    const token = await tokens.sign({ userId: p.id, tenantId: state.tenantId, role: p.role });
    return { ...p, token, link: `${consoleUrl}#token=${token}` };
  }));
  return { consoleUrl, inboxId: state.inboxId, people, botKey };
}

/** True when no tenant exists yet. */
export async function databaseIsEmpty(app: App): Promise<boolean> {
  return (await sql(systemEm(app.orm), 'select 1 from tenants limit 1')).length === 0;
}
