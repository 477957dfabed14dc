// CPU time from /proc: user + system of a process (all its threads) and of every `postgres` process, in
// milliseconds, so a bench can divide the work done between two readings by the operations in between.
import { readdir, readFile } from 'node:fs/promises';

/** Linux's USER_HZ: /proc/<pid>/stat counts in 1/100 s on every kernel Node runs on here. */
const TICK_MS = 10;

interface ProcStat { ppid: number; own: number; reapedChildren: number }

async function statOf(pid: number): Promise<ProcStat | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')': state is [0], ppid [1].
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime, and cutime + cstime: the time of children that ended and were waited for.
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reapedChildren: Number(f[13]) + Number(f[14]) };
  } catch {
    return null; // gone meanwhile
  }
}

const ticksOf = async (pid: number) => (await statOf(pid))?.own ?? 0;

/**
 * All of PostgreSQL: its live processes, plus what its ended backends used (the postmaster waits for them, so
 * their time moves into its children's counters): a connection that closes mid-round takes nothing with it.
 */
async function postgresTicks(): Promise<number> {
  const stats = new Map<number, ProcStat>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'postgres') continue;
    const stat = await statOf(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  let ticks = 0;
  for (const stat of stats.values()) ticks += stat.own + (stats.has(stat.ppid) ? 0 : stat.reapedChildren);
  return ticks;
}

export interface CpuReading { serverMs: number; postgresMs: number }

/** CPU so far of the given processes, added up, in milliseconds. */
export async function readProcessesMs(pids: number[]): Promise<number> {
  return (await Promise.all(pids.map(ticksOf))).reduce((a, b) => a + b, 0) * TICK_MS;
}

/** CPU so far of the given server processes and of all of PostgreSQL. */
export async function readCpu(serverPids: number[]): Promise<CpuReading> {
  return { serverMs: await readProcessesMs(serverPids), postgresMs: (await postgresTicks()) * TICK_MS };
}

export function cpuDelta(before: CpuReading, after: CpuReading): CpuReading {
  return { serverMs: after.serverMs - before.serverMs, postgresMs: after.postgresMs - before.postgresMs };
}

/** The whole machine's CPU ticks so far (/proc/stat): idle (with I/O wait) and all. */
export async function readMachine(): Promise<{ idle: number; total: number }> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0];
  const ticks = first.trim().split(/\s+/).slice(1).map(Number);
  return { idle: ticks[3] + ticks[4], total: ticks.reduce((a, b) => a + b, 0) };
}

/** The share of the machine's CPU left idle between two readings, in percent. */
export function idlePercent(before: { idle: number; total: number }, after: { idle: number; total: number }): number {
  return Number((100 * (after.idle - before.idle) / Math.max(1, after.total - before.total)).toFixed(1));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
