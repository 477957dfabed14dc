// Builds a tenant with an admin, agents, a bot and an inbox through the public API.
import assert from 'node:assert/strict';
import { TEST_ADMIN_KEY } from './app.ts';
import type { Call } from './http.ts';

export interface SeededTenant {
  tenantId: string;
  adminId: string;
  adminToken: string;
  agentId: string;
  agentToken: string;
  supervisorToken: string;
  botId: string;
  botKey: string;
  inboxId: string;
  webhookSecret: string;
  contactId: string;
  policyId: string;
}

async function created(call: Call, path: string, token: string, body: unknown) {
  const res = await call('POST', path, { token, body });
  assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function seedTenant(call: Call, name: string): Promise<SeededTenant> {
  // Inboxes created without a visibility share everything here; tests of masking name theirs.
  const tenant = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { name, defaultInboxVisibility: 'share_everything' } });
  assert.equal(tenant.status, 201, JSON.stringify(tenant.body));
  const adminToken: string = tenant.body.admin.token;
  const agent = await created(call, '/v1/users', adminToken, { name: `${name} agent`, role: 'agent', capacity: 5 });
  const supervisor = await created(call, '/v1/users', adminToken, { name: `${name} supervisor`, role: 'supervisor' });
  const bot = await created(call, '/v1/users', adminToken, { name: `${name} bot`, role: 'bot' });
  const policy = await created(call, '/v1/sla-policies', adminToken, { name: 'Standard', firstResponseMinutes: 30, resolutionMinutes: 480 });
  const inbox = await created(call, '/v1/inboxes', adminToken, {
    name: `${name} support`, channel: 'email', memberIds: [agent.user.id], slaPolicyId: policy.policy.id,
  });
  const contact = await created(call, '/v1/contacts', agent.token, {
    name: 'Carla Customer', identities: [{ channel: 'email', handle: `carla@${name.toLowerCase()}.example` }],
  });
  return {
    tenantId: tenant.body.tenant.id,
    adminId: tenant.body.admin.user.id,
    adminToken,
    agentId: agent.user.id,
    agentToken: agent.token,
    supervisorToken: supervisor.token,
    botId: bot.user.id,
    botKey: bot.token,
    inboxId: inbox.inbox.id,
    webhookSecret: inbox.webhookSecret,
    contactId: contact.contact.id,
    policyId: policy.policy.id,
  };
}
