// Whoever unassigns routes the conversation itself; the previous assignee may now take waiting work.
import type { Router } from '../routing/routing.ts';
import { reaction } from './reaction.ts';

export const capacityFreed = (router: Router) => reaction('capacity-freed', ['assignment.changed'], async (e) => {
  if (e.previousAssigneeId) await router.capacityFreed(e.tenantId, e.previousAssigneeId);
});
