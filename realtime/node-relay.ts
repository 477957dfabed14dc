// Events every node must hear, not only the node where they happened: a tenant's automation rules changed (each
// node keeps a copy of them). Through the adapter to the other nodes, published there on their own bus.
import type { EventBus } from '../src/platform/events/domain-events.ts';
import type { AppServer } from './types.ts';

export function startNodeRelay(io: AppServer, bus: EventBus, clustered: boolean): () => Promise<void> {
  if (!clustered) return async () => undefined;
  io.on('automation:changed', (tenantId: string) => bus.publish({ type: 'automation.changed', tenantId, relayed: true }));
  return bus.on('automation.changed', async (e) => {
    if (!e.relayed) io.serverSideEmit('automation:changed', e.tenantId);
  });
}
