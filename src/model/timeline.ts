// Timeline entries: every conversation event is also an activity of the CRM record it hangs off
// (or of the conversation itself when it hangs off none).
import type { EntityManager } from '@mikro-orm/core';
import { Activity } from '../../entities/index.ts';

export interface TimelineEntry {
  tenantId: string;
  conversation: { id: string; entityType?: string | null; entityId?: string | null };
  kind: string;
  refId: string;
  actorId: string | null;
  data?: Record<string, unknown>;
  at: Date;
}

/** Adds the activity to the unit of work; the caller's flush writes it in its transaction. */
export function addToTimeline(tx: EntityManager, entry: TimelineEntry): void {
  const { conversation: c } = entry;
  tx.create(Activity, {
    tenant: entry.tenantId,
    entityType: c.entityType ?? 'conversation',
    entityId: c.entityId ?? c.id,
    conversation: c.id,
    kind: entry.kind,
    refId: entry.refId,
    actor: entry.actorId,
    data: entry.data ?? null,
    occurredAt: entry.at,
  });
}
