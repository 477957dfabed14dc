// Changing an inbox's members: added agents may take waiting work; removed ones lose the inbox's rooms
// and their open conversations there go back through round robin.
import type { EntityManager } from '@mikro-orm/core';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Routing } from '../../routing/routing-port.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { setMembers } from './inboxes.service.ts';

export async function changeMembers(
  em: EntityManager, bus: EventBus, routing: Routing, principal: Principal, inboxId: string, memberIds: string[],
) {
  const result = await setMembers(em, principal, inboxId, memberIds);
  if (result.added.length) bus.publish({ type: 'inbox.members', tenantId: principal.tenantId, inboxId, added: result.added });
  for (const userId of result.removed) {
    bus.publish({ type: 'access.revoked', tenantId: principal.tenantId, userId, inboxId });
    await routing.releaseWork(principal.tenantId, userId, inboxId, principal.userId, 'removed from the inbox');
  }
  if (result.added.length) await routing.drainInbox(principal.tenantId, inboxId);
  return result;
}
