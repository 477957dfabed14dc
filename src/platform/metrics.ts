// Prometheus metrics: one registry per app instance (tests boot several in one process).
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Reactions to domain events that failed (logged too); the operation that published had committed. */
  listenerErrors: Counter<'listener'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const listenerErrors = new Counter({
    name: 'switchboard_listener_errors_total',
    help: 'Failures of reactions to domain events, by listener',
    labelNames: ['listener'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, listenerErrors };
}
