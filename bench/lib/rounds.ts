// Timed rounds for cost benches: drive an operation from concurrent loops for a fixed time, read CPU from /proc
// before and after, and answer rate, latency and CPU per operation (server and PostgreSQL apart).
import { cpuDelta, median, readCpu } from './cpu.ts';
import { percentile } from './server-process.ts';

export interface RoundResult {
  ops: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU milliseconds per operation. */
  serverCpuMs: number;
  postgresCpuMs: number;
  totalCpuMs: number;
}

const round2 = (v: number) => Number(v.toFixed(3));

/** Runs `op` from `workers` loops for `seconds`, measuring the processes `pids` and PostgreSQL. */
export async function timedRound(pids: number[], workers: number, seconds: number, op: (worker: number, i: number) => Promise<void>): Promise<RoundResult> {
  const latencies: number[] = [];
  const before = await readCpu(pids);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      await op(w, i);
      latencies.push(performance.now() - t0);
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  // Work that finishes after the last ack (coalesced events, unread counts) belongs to these operations too.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cpu = cpuDelta(before, await readCpu(pids));
  latencies.sort((a, b) => a - b);
  const ops = latencies.length;
  return {
    ops, perSecond: Math.round(ops / elapsed), p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99),
    serverCpuMs: round2(cpu.serverMs / ops), postgresCpuMs: round2(cpu.postgresMs / ops), totalCpuMs: round2((cpu.serverMs + cpu.postgresMs) / ops),
  };
}

/** Medians of each figure over rounds. */
export function medianOf(rounds: RoundResult[]): RoundResult {
  const pick = (k: keyof RoundResult) => round2(median(rounds.map((r) => r[k])));
  return {
    ops: pick('ops'), perSecond: pick('perSecond'), p50Ms: pick('p50Ms'), p99Ms: pick('p99Ms'),
    serverCpuMs: pick('serverCpuMs'), postgresCpuMs: pick('postgresCpuMs'), totalCpuMs: pick('totalCpuMs'),
  };
}

/** Baseline and subject alternate, round by round; answers the medians and the median of the per-round ratios. */
export async function alternate(rounds: number, baseline: (round: number) => Promise<RoundResult>, subject: (round: number) => Promise<RoundResult>) {
  const base: RoundResult[] = [];
  const ours: RoundResult[] = [];
  for (let r = 0; r < rounds; r++) {
    base.push(await baseline(r));
    ours.push(await subject(r));
  }
  const ratio = (k: keyof RoundResult) => round2(median(ours.map((o, i) => o[k] / (base[i][k] || Number.NaN))));
  return {
    baseline: medianOf(base), subject: medianOf(ours),
    ratios: { rate: ratio('perSecond'), serverCpu: ratio('serverCpuMs'), postgresCpu: ratio('postgresCpuMs'), totalCpu: ratio('totalCpuMs') },
    rounds: { baseline: base, subject: ours },
  };
}
