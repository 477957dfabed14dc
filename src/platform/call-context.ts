// What every service call gets from either transport: the caller, their tenant-scoped entity manager, the bus
// its events go out on, and the clock. HTTP routes (src/http/context.ts) and socket handlers
// (realtime/handle.ts) build it the same way, so one service serves both.
import type { EntityManager } from '@mikro-orm/core';
import type { Principal } from './auth/principal.ts';
import type { Clock } from './clock.ts';
import type { EventBus } from './events/domain-events.ts';

export interface CallContext {
  em: EntityManager;
  principal: Principal;
  bus: EventBus;
  clock: Clock;
}
