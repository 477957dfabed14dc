// `npm start -- --demo`: a demo tenant built through the public API (an admin, a supervisor, three agents, the
// FAQ bot, an auto-assigning inbox whose SLA runs out in DEMO_SLA_SECONDS) and sign-in links for the console.
// The tenant is remembered in DATA_DIR/demo.json (the owner's only, like secrets.json), so a later `--demo`
// start prints fresh links to the same tenant instead of building another.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { createTokenService } from '../../platform/auth/tokens.ts';
import { ROLES } from '../../contract/schemas.ts';
import { sql } from '../../platform/db/sql.ts';
import { systemEm } from '../../platform/db/tenant-scope.ts';

const personSchema = z.object({ id: z.uuid(), name: z.string(), role: z.enum(ROLES).exclude(['bot']), simulated: z.boolean() });
const stateSchema = z.object({
  version: z.literal(2), tenantId: z.uuid(), people: z.array(personSchema), inboxId: z.uuid(), webhookSecret: z.string(), botKey: z.string(),
});
type DemoPerson = z.infer<typeof personSchema>;
type DemoState = z.infer<typeof stateSchema>;

export interface DemoLinks {
  url: string;
  inboxId: string;
  webhookSecret: string;
  botKey: string;
  people: (DemoPerson & { token: string; link: string })[];
}

const statePath = (app: App) => (app.config.DATA_DIR === ':memory:' ? null : join(app.config.DATA_DIR, 'demo.json'));

/** The remembered tenant, if it still exists (a demo.json of an older version, or of a wiped database, is ignored). */
async function readState(app: App): Promise<DemoState | null> {
  const path = statePath(app);
  if (!path) return null;
  const parsed = stateSchema.safeParse(await readFile(path, 'utf8').then((text) => JSON.parse(text), () => null));
  if (!parsed.success) return null;
  const [tenant] = await sql(systemEm(app.orm), 'select id from tenants where id = ?', [parsed.data.tenantId]);
  return tenant ? parsed.data : null;
}

async function api(app: App, method: string, path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(new URL(path, app.url), { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`demo: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const PEOPLE = [
  { name: 'Sam Supervisor', role: 'supervisor', simulated: false },
  { name: 'Ada Agent', role: 'agent', simulated: false },
  { name: 'Ben Agent', role: 'agent', simulated: true },
  { name: 'Cleo Agent', role: 'agent', simulated: true },
] as const;

async function buildTenant(app: App): Promise<DemoState> {
  const created = await api(app, 'POST', '/v1/tenants', { name: 'Demo', defaultInboxVisibility: 'share_everything' }, { 'x-admin-key': app.config.ADMIN_KEY });
  const as = { authorization: `Bearer ${created.admin.token}` };
  const people: DemoPerson[] = [{ id: created.admin.user.id, name: created.admin.user.name, role: 'admin', simulated: false }];
  for (const person of PEOPLE) {
    const { user } = await api(app, 'POST', '/v1/users', { name: person.name, role: person.role, capacity: person.role === 'agent' ? 4 : undefined }, as);
    people.push({ ...person, id: user.id });
  }
  const bot = await api(app, 'POST', '/v1/users', { name: 'FAQ Bot', role: 'bot' }, as);
  // A first-response target short enough that a warning, then a breach, reach the supervisor board while one watches.
  const seconds = app.config.DEMO_SLA_SECONDS;
  const { policy } = await api(app, 'POST', '/v1/sla-policies', {
    name: `Demo (${seconds} s first response)`, firstResponseMinutes: seconds / 60, warnAtPercent: 50, resolutionMinutes: 30, isDefault: true,
  }, as);
  const agents = people.filter((p) => p.role === 'agent').map((p) => p.id);
  const { inbox, webhookSecret } = await api(app, 'POST', '/v1/inboxes', {
    name: 'Support', channel: 'chat', memberIds: agents, slaPolicyId: policy.id, autoAssign: true,
  }, as);
  return { version: 2, tenantId: created.tenant.id, people, inboxId: inbox.id, webhookSecret, botKey: bot.token };
}

/** The demo tenant (built on first use) and fresh sign-in links for its people. */
export async function ensureDemoTenant(app: App): Promise<DemoLinks> {
  let state = await readState(app);
  if (!state) {
    state = await buildTenant(app);
    const path = statePath(app);
    if (path) await writeFile(path, JSON.stringify(state, null, 2), { mode: 0o600 });
  }
  const tokens = createTokenService(app.config.JWT_SECRET, app.config.TOKEN_TTL_SECONDS);
  const tenantId = state.tenantId;
  const people = await Promise.all(state.people.map(async (p) => {
    const token = await tokens.sign({ userId: p.id, tenantId, role: p.role });
    return { ...p, token, link: `${app.url}/#token=${token}` };
  }));
  return { url: app.url, inboxId: state.inboxId, webhookSecret: state.webhookSecret, botKey: state.botKey, people };
}

/** True when no tenant exists yet. */
export async function databaseIsEmpty(app: App): Promise<boolean> {
  return (await sql(systemEm(app.orm), 'select 1 from tenants limit 1')).length === 0;
}
