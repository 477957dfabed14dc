// Presence is kept in the database too, so that the routing sweep can tell how long an assignee has been away;
// an agent coming online may take waiting work.
import type { EntityManager } from '@mikro-orm/core';
import type { Router } from '../routing/routing.ts';
import { sql } from '../platform/db/sql.ts';
import { reaction } from './reaction.ts';

export const recordPresence = (router: Router, emFor: (tenantId: string) => EntityManager) => reaction('record-presence',
  ['presence.changed'], async (e) => {
    await sql(emFor(e.tenantId), 'update users set presence = ?, presence_changed_at = now() where id = ? and tenant_id = ?', [e.status, e.userId, e.tenantId]);
    if (e.status === 'online') await router.auto.drainForUser(e.tenantId, e.userId);
  });
