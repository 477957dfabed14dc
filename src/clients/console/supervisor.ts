// The supervisor's board: the live queue per inbox (who waits, for how long, at what priority, with which
// skills and SLA risk; the agents with presence, load and wrap-up), kept current by `queue:updated`, and SLA
// warnings and breaches as they happen, each a click away from its conversation.
import type { QueueDto, SlaAlert } from '../sdk/index.ts';
import { $, el } from './dom.ts';
import { duration, whenFull } from './format.ts';
import { conversationName, type Workspace } from './workspace.ts';

export class SupervisorBoard {
  readonly #ws: Workspace;
  readonly #open: (id: string) => void;
  #queue: QueueDto | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;

  constructor(ws: Workspace, open: (id: string) => void) {
    this.#ws = ws;
    this.#open = open;
  }

  async start(): Promise<void> {
    const { client } = this.#ws;
    client.on('queue', (queue) => { this.#queue = queue; this.renderQueue(); });
    client.on('presence', () => this.renderQueue());
    await Promise.all([
      client.loadQueue().catch(() => null),
      client.loadBreaches().catch(() => undefined),
      client.loadPresence().catch(() => undefined),
    ]);
    for (const b of client.breaches.values()) this.addAlert({ ...b, level: 'breach' });
    // Wait times grow between updates: redraw them every few seconds.
    this.#ticker ??= setInterval(() => this.renderQueue(), 5_000);
  }

  renderQueue(): void {
    const queue = this.#queue ?? this.#ws.client.queue;
    if (!queue) return;
    const age = (Date.now() - Date.parse(queue.generatedAt)) / 1000;
    $('queue').replaceChildren(...queue.inboxes.map((inbox) => el('section', { className: 'queue-inbox', dataset: { testid: 'queue-inbox', id: inbox.inboxId } },
      el('h3', { textContent: `${inbox.name} · ${inbox.waiting.length} waiting${inbox.autoAssign ? '' : ' · manual assignment'}` }),
      inbox.waiting.length
        ? el('table', { className: 'waiting' },
          el('caption', { className: 'visually-hidden', textContent: `Waiting in ${inbox.name}` }),
          el('thead', {}, el('tr', {}, ...['Customer', 'Waiting', 'Priority', 'Skills', 'SLA'].map((h) => el('th', { scope: 'col', textContent: h })))),
          el('tbody', {}, ...inbox.waiting.map((w) => {
            const c = this.#ws.conversations.get(w.conversationId);
            const name = c ? conversationName(this.#ws, c) : `Conversation ${w.conversationId.slice(0, 8)}`;
            const open = el('button', { type: 'button', className: 'link', textContent: name });
            open.onclick = () => this.#open(w.conversationId);
            return el('tr', { dataset: { testid: 'waiting', id: w.conversationId } },
              el('td', {}, open),
              el('td', { textContent: duration(w.waitingSeconds + age) }),
              el('td', { className: `priority priority-${w.priority}`, textContent: w.priority }),
              el('td', { textContent: w.requiredSkills.join(', ') || '—' }),
              el('td', {}, w.slaRisk ? el('span', { className: `sla sla-${w.slaRisk === 'at_risk' ? 'warning' : w.slaRisk === 'breached' ? 'breached' : 'ok'}`, textContent: w.slaRisk.replace('_', ' ') }) : '—'));
          })))
        : el('p', { className: 'empty', textContent: 'Nobody waiting' }),
      el('table', { className: 'agents' },
        el('caption', { className: 'visually-hidden', textContent: `Agents of ${inbox.name}` }),
        el('thead', {}, el('tr', {}, ...['Agent', 'Presence', 'Load', 'Wrap-up'].map((h) => el('th', { scope: 'col', textContent: h })))),
        el('tbody', {}, ...inbox.agents.map((a) => {
          const presence = this.#ws.client.presence.get(a.userId) ?? a.presence;
          return el('tr', { dataset: { testid: 'agent', id: a.userId } },
            el('td', { textContent: a.name }),
            el('td', {}, el('span', { className: `presence presence-${presence}`, textContent: presence, dataset: { testid: 'agent-presence' } })),
            el('td', { textContent: `${a.load}${a.capacity == null ? '' : ` / ${a.capacity}`}`, dataset: { testid: 'agent-load' } }),
            el('td', { textContent: a.wrapUpUntil && Date.parse(a.wrapUpUntil) > Date.now() ? `until ${whenFull(a.wrapUpUntil)}` : '—' }));
        }))))));
  }

  addAlert(alert: Pick<SlaAlert, 'conversationId' | 'kind' | 'dueAt' | 'level'>): void {
    const c = this.#ws.conversations.get(alert.conversationId);
    const name = c ? conversationName(this.#ws, c) : `Conversation ${alert.conversationId.slice(0, 8)}`;
    const key = `${alert.conversationId}:${alert.kind}:${alert.level}`;
    if (document.querySelector(`[data-key="${key}"]`)) return;
    const button = el('button', { type: 'button', className: 'link' },
      el('strong', { textContent: alert.level === 'breach' ? 'Breached' : 'Warning' }),
      ` · ${alert.kind.replace('_', ' ')} · ${name} · due ${whenFull(alert.dueAt)}`);
    button.onclick = () => this.#open(alert.conversationId);
    $('alerts').prepend(el('li', {
      className: `alert alert-${alert.level}`,
      dataset: { testid: 'alert', level: alert.level, conversation: alert.conversationId, key },
    }, button));
    $('alerts-empty').hidden = true;
  }
}
