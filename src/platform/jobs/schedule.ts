// Periodic jobs on node-cron: whole seconds, a run never overlaps the previous one, errors are logged.
import cron from 'node-cron';
import type { Logger } from 'pino';

export interface Job {
  stop(): Promise<void>;
}

/** Cron cannot say "every 0.5 s": intervals round to whole seconds (at least 1). */
export function cronForSeconds(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s >= 60 ? `0 */${Math.max(1, Math.round(s / 60))} * * * *` : `*/${s} * * * * *`;
}

export function every(seconds: number, name: string, logger: Logger, run: () => Promise<void>): Job {
  return onSchedule(cronForSeconds(seconds), name, logger, run);
}

/** A job on a cron expression (six fields, seconds first), e.g. daily retention at `0 30 3 * * *`. */
export function onSchedule(expression: string, name: string, logger: Logger, run: () => Promise<void>): Job {
  // node-cron's own notices (a missed run under load) go to our logger instead of the console.
  const cronLog = logger.child({ component: 'node-cron' });
  cron.setLogger({
    info: (m) => cronLog.debug(m),
    warn: (m) => cronLog.warn(m),
    error: (m, err) => cronLog.error({ err: err ?? m }, String(m)),
    debug: (m) => cronLog.debug(String(m)),
  });
  let current: Promise<void> = Promise.resolve();
  const task = cron.schedule(expression, () => {
    current = run().catch((err: unknown) => logger.error({ err, job: name }, 'job failed'));
    return current;
  }, { name, noOverlap: true });
  return {
    async stop() {
      await task.stop();
      await task.destroy();
      await current;
    },
  };
}
