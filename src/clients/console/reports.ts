// The reports page: charts drawn with Chart.js from the report endpoints: message volume by channel and
// direction, SLA attainment per policy, first-response and resolution times per inbox, and agents' load
// (from the live queue). Only the chart parts the page uses are registered, so the bundle stays small.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { QueueDto } from '../sdk/index.ts';
import { $, el, showError } from './dom.ts';
import type { Workspace } from './workspace.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

interface Volume { rows: { channel: string; inbound: number; outbound: number; internal: number; total: number }[] }
interface Attainment { policies: { name: string; firstResponse: { met: number; breached: number }; resolution: { met: number; breached: number } }[] }
interface Times { byInbox: { id: string; firstResponse: { p50: number | null; p90: number | null }; resolution: { p50: number | null; p90: number | null } }[] }

const COLORS = ['#1a73e8', '#188038', '#b06000', '#c5221f', '#9334e6'];

export class ReportsPage {
  readonly #ws: Workspace;
  readonly #charts = new Map<string, Chart>();

  constructor(ws: Workspace) {
    this.#ws = ws;
    $<HTMLSelectElement>('report-days').onchange = () => void this.load();
  }

  async load(): Promise<void> {
    const days = $<HTMLSelectElement>('report-days').value;
    const { client, dir } = this.#ws;
    try {
      const [volume, attainment, times, queue] = await Promise.all([
        client.http<Volume>('GET', `/v1/reports/message-volume?days=${days}`),
        client.http<Attainment>('GET', `/v1/reports/sla-attainment?days=${days}`),
        client.http<Times>('GET', `/v1/reports/response-times?days=${days}`),
        client.queue ? Promise.resolve(client.queue) : client.http<QueueDto>('GET', '/v1/queue'),
      ]);
      showError($('reports-error'), null);
      this.#bar('chart-volume', volume.rows.map((r) => r.channel), [
        { label: 'Inbound', data: volume.rows.map((r) => r.inbound) },
        { label: 'Outbound', data: volume.rows.map((r) => r.outbound) },
        { label: 'Internal', data: volume.rows.map((r) => r.internal) },
      ], true);
      this.#bar('chart-sla', attainment.policies.map((p) => p.name), [
        { label: 'First response met', data: attainment.policies.map((p) => p.firstResponse.met) },
        { label: 'First response breached', data: attainment.policies.map((p) => p.firstResponse.breached) },
        { label: 'Resolution met', data: attainment.policies.map((p) => p.resolution.met) },
        { label: 'Resolution breached', data: attainment.policies.map((p) => p.resolution.breached) },
      ]);
      const minutes = (s: number | null) => (s == null ? 0 : Math.round(s / 6) / 10);
      this.#bar('chart-times', times.byInbox.map((i) => dir.inboxes.get(i.id)?.name ?? i.id.slice(0, 8)), [
        { label: 'First response p50 (min)', data: times.byInbox.map((i) => minutes(i.firstResponse.p50)) },
        { label: 'First response p90 (min)', data: times.byInbox.map((i) => minutes(i.firstResponse.p90)) },
        { label: 'Resolution p50 (min)', data: times.byInbox.map((i) => minutes(i.resolution.p50)) },
      ]);
      const agents = new Map<string, { name: string; load: number; capacity: number | null }>();
      for (const inbox of queue.inboxes) for (const a of inbox.agents) agents.set(a.userId, a);
      this.#bar('chart-load', [...agents.values()].map((a) => a.name), [
        { label: 'Open load', data: [...agents.values()].map((a) => a.load) },
        { label: 'Capacity', data: [...agents.values()].map((a) => a.capacity ?? 0) },
      ]);
    } catch (err) {
      showError($('reports-error'), err);
    }
  }

  #bar(canvasId: string, labels: string[], datasets: { label: string; data: number[] }[], stacked = false): void {
    this.#charts.get(canvasId)?.destroy();
    const canvas = $<HTMLCanvasElement>(canvasId);
    canvas.closest('figure')?.querySelector('.empty')?.remove();
    if (!labels.length) canvas.closest('figure')?.append(el('p', { className: 'empty', textContent: 'No data in this period' }));
    this.#charts.set(canvasId, new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets: datasets.map((d, i) => ({ ...d, backgroundColor: COLORS[i % COLORS.length] })) },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    }));
    canvas.dataset.drawn = String(labels.length);
  }
}
