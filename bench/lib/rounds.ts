// Timed rounds for cost benches: drive an operation from concurrent loops for a fixed time, read CPU from /proc
// before and after, and answer rate, latency and CPU per operation (server and PostgreSQL apart), and where a WAL
// reader is given, PostgreSQL's WAL records per operation.
import { cpuDelta, median, readCpu } from './cpu.ts';
import { percentile } from './server-process.ts';
import { perOperation, type WalReader } from './wal.ts';

export interface RoundResult {
  ops: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU milliseconds per operation. */
  serverCpuMs: number;
  postgresCpuMs: number;
  totalCpuMs: number;
  /**
   * PostgreSQL's WAL records per operation, in all and by relation: the whole server's, which rounds alternating
   * leave to the measured server (one on its embedded database writes none there). Null without a WAL reader.
   */
  walRecords: number | null;
  walByRelation: Record<string, number> | null;
}

const round2 = (v: number) => Number(v.toFixed(3));

/** Runs `op` from `workers` loops for `seconds`, measuring the processes `pids` and PostgreSQL (its WAL through `wal`). */
export async function timedRound(pids: number[], workers: number, seconds: number, op: (worker: number, i: number) => Promise<void>, wal: WalReader | null = null): Promise<RoundResult> {
  const latencies: number[] = [];
  // The WAL's readings open connections: outside the CPU readings, so that PostgreSQL's work for them is not counted.
  const walStart = await wal?.position();
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
  const written = wal && walStart ? await wal.count(walStart, await wal.position()) : null;
  latencies.sort((a, b) => a - b);
  const ops = latencies.length;
  const walPerOp = written && perOperation(written, ops);
  return {
    ops, perSecond: Math.round(ops / elapsed), p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99),
    serverCpuMs: round2(cpu.serverMs / ops), postgresCpuMs: round2(cpu.postgresMs / ops), totalCpuMs: round2((cpu.serverMs + cpu.postgresMs) / ops),
    walRecords: walPerOp?.records ?? null,
    walByRelation: walPerOp?.byRelation ?? null,
  };
}

type CostFigure = Exclude<keyof RoundResult, 'walRecords' | 'walByRelation'>;

/** Medians of each figure over rounds. */
export function medianOf(rounds: RoundResult[]): RoundResult {
  const pick = (k: CostFigure) => round2(median(rounds.map((r) => r[k])));
  const walRounds = rounds.filter((r) => r.walByRelation);
  const relations = new Set(walRounds.flatMap((r) => Object.keys(r.walByRelation!)));
  return {
    ops: pick('ops'), perSecond: pick('perSecond'), p50Ms: pick('p50Ms'), p99Ms: pick('p99Ms'),
    serverCpuMs: pick('serverCpuMs'), postgresCpuMs: pick('postgresCpuMs'), totalCpuMs: pick('totalCpuMs'),
    walRecords: walRounds.length ? round2(median(walRounds.map((r) => r.walRecords!))) : null,
    walByRelation: walRounds.length
      ? Object.fromEntries([...relations].map((relation) => [relation, round2(median(walRounds.map((r) => r.walByRelation![relation] ?? 0)))]))
      : null,
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
  const ratio = (k: CostFigure) => round2(median(ours.map((o, i) => o[k] / (base[i][k] || Number.NaN))));
  return {
    baseline: medianOf(base), subject: medianOf(ours),
    ratios: { rate: ratio('perSecond'), serverCpu: ratio('serverCpuMs'), postgresCpu: ratio('postgresCpuMs'), totalCpu: ratio('totalCpuMs') },
    rounds: { baseline: base, subject: ours },
  };
}
