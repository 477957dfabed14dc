// Turns a bearer token (a person's JWT or a bot's API key) into a Principal, or null. Runs on every request
// and handshake: one indexed, prepared statement each (no entity hydration, no planning per call).
import { statement } from '../db/statement.ts';
import type { SingleStatement } from '../db/tenant-transaction.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys.ts';
import type { Principal, Role } from './principal.ts';
import type { TokenService } from './tokens.ts';

/** `inboxes`: also answer the inboxes the user is a member of (a socket's list rooms), in the same query. */
export type Authenticator = (token: string | undefined, options?: { inboxes?: boolean }) => Promise<Principal | null>;

interface UserRow { id: string; tenant_id: string; role: Role; name: string; key_id?: string; inbox_ids?: string[] | string | null }

const BOT = statement('switchboard_auth_bot_v1', `
  select u.id, u.tenant_id, u.role, u.name, k.id as key_id from api_keys k join users u on u.id = k.user_id and u.tenant_id = k.tenant_id
  where k.key_hash = :hash and k.revoked_at is null and u.active and u.role = 'bot'`);

// The user must still exist in that tenant and be active, and the token must postdate any revocation of their
// sessions: deactivation and revocation refuse tokens at once. The role is read from the database, so a
// demotion takes effect at once.
const PERSON_WHERE = `from users u where u.id = :user_id and u.tenant_id = :tenant_id and u.active and u.role <> 'bot'
  and (u.tokens_revoked_at is null or u.tokens_revoked_at <= to_timestamp(:issued_at_ms::bigint / 1000.0))`;
const PERSON = statement('switchboard_auth_person_v1', `select u.id, u.tenant_id, u.role, u.name ${PERSON_WHERE}`);
const PERSON_WITH_INBOXES = statement('switchboard_auth_person_inboxes_v1', `
  select u.id, u.tenant_id, u.role, u.name,
    (select coalesce(json_agg(m.inbox_id), '[]'::json) from inbox_members m where m.user_id = u.id) as inbox_ids
  ${PERSON_WHERE}`);

const inboxIdsOf = (row: UserRow): string[] | undefined =>
  row.inbox_ids == null ? undefined : typeof row.inbox_ids === 'string' ? JSON.parse(row.inbox_ids) as string[] : row.inbox_ids;

export function createAuthenticator(single: SingleStatement, tokens: TokenService): Authenticator {
  return async (token, options = {}) => {
    if (!token) return null;
    if (looksLikeApiKey(token)) {
      const [bot] = await single<UserRow>(BOT, { hash: hashApiKey(token) });
      return bot ? { kind: 'bot', tenantId: bot.tenant_id, userId: bot.id, role: 'bot', name: bot.name, keyId: bot.key_id } : null;
    }
    const claims = await tokens.verify(token);
    if (!claims) return null;
    const [user] = await single<UserRow>(options.inboxes ? PERSON_WITH_INBOXES : PERSON, {
      user_id: claims.userId, tenant_id: claims.tenantId, issued_at_ms: claims.issuedAtMs,
    });
    return user ? { kind: 'user', tenantId: user.tenant_id, userId: user.id, role: user.role, name: user.name, inboxIds: inboxIdsOf(user) } : null;
  };
}
