// Who is calling: a person or a bot, always bound to exactly one tenant.
import { AppError } from '../errors.ts';

export type Role = 'admin' | 'supervisor' | 'agent' | 'bot';

export interface Principal {
  kind: 'user' | 'bot';
  tenantId: string;
  userId: string;
  role: Role;
  name: string;
  /** The bot's API key the call came with (revoking one key cuts only its sockets). */
  keyId?: string;
  /** The inboxes the person is a member of, when asked for (a socket's list rooms). */
  inboxIds?: string[];
}

const RANK: Record<Role, number> = { agent: 1, supervisor: 2, admin: 3, bot: 0 };

/** `admin` ⊃ `supervisor` ⊃ `agent`; `bot` is separate and only matches when listed. */
export function hasRole(principal: Principal, allowed: readonly ('agent+' | 'supervisor+' | 'admin' | 'bot')[]): boolean {
  for (const rule of allowed) {
    if (rule === 'bot' && principal.role === 'bot') return true;
    if (principal.role === 'bot') continue;
    if (rule === 'agent+' && RANK[principal.role] >= RANK.agent) return true;
    if (rule === 'supervisor+' && RANK[principal.role] >= RANK.supervisor) return true;
    if (rule === 'admin' && principal.role === 'admin') return true;
  }
  return false;
}

export type Access = Parameters<typeof hasRole>[1];

export function requireRole(principal: Principal, allowed: Access): void {
  if (!hasRole(principal, allowed)) throw AppError.forbidden();
}
