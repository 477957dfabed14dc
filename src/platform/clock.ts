// Time as a dependency: services ask the clock of their call, so a test or a replay can set it.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
