// Runs the SLA tick on node-cron every SLA_TICK_SECONDS; a tick never overlaps the previous one.
import type { Logger } from 'pino';
import type { EventBus } from '../src/platform/events/domain-events.ts';
import { every, type Job } from '../src/platform/jobs/schedule.ts';
import { tick } from './engine.ts';
import type { SystemTransactions } from '../src/platform/db/tenant-transaction.ts';

export function scheduleSla(transactions: SystemTransactions, bus: EventBus, tickSeconds: number, logger: Logger): Job {
  return every(tickSeconds, 'sla-tick', logger, async () => {
    const raised = await tick(transactions, bus);
    if (raised) logger.debug({ raised }, 'sla alerts raised');
  });
}
