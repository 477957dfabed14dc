// The supervisor's board: the live queue per inbox (who waits, for how long, at what priority, with which
// skills and SLA risk; the agents with presence, load and wrap-up), kept current by `queue:updated`, and SLA
// warnings and breaches as they happen, each a click away from its conversation.
import type { ConversationDto, QueueDto, SlaAlert } from '../sdk/index.ts';
import { $, el } from './dom.ts';
import { duration, whenFull } from './format.ts';
import { conversationName, type Workspace } from './workspace.ts';

export class SupervisorBoard {
  readonly #ws: Workspace;
  readonly #open: (id: string) => void;
  #queue: QueueDto | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;
  readonly #reading = new Set<string>();

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

  /** A conversation's name; one not loaded yet is read once, and the board is drawn again with its name. */
  #name(id: string): string {
    const c = this.#ws.conversations.get(id);
    if (c) return conversationName(this.#ws, c);
    if (!this.#reading.has(id)) {
      this.#reading.add(id);
      void this.#ws.client.http<{ conversation: ConversationDto }>('GET', `/v1/conversations/${id}`).then(async ({ conversation }) => {
        this.#ws.conversations.set(id, conversation);
        if (conversation.contactId) await this.#ws.dir.fetchContact(conversation.contactId);
        this.renderQueue();
        this.#renameAlerts(id);
      }).catch(() => undefined);
    }
    return `Conversation ${id.slice(0, 8)}`;
  }

  #renameAlerts(id: string): void {
    for (const name of document.querySelectorAll<HTMLElement>(`[data-testid=alert][data-conversation="${id}"] .alert-name`)) name.textContent = this.#name(id);
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
            const open = el('button', { type: 'button', className: 'link', textContent: this.#name(w.conversationId) });
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
    const key = `${alert.conversationId}:${alert.kind}:${alert.level}`;
    if (document.querySelector(`[data-key="${key}"]`)) return;
    const button = el('button', { type: 'button', className: 'link' },
      el('strong', { textContent: alert.level === 'breach' ? 'Breached' : 'Warning' }),
      ` · ${alert.kind.replace('_', ' ')} · `, el('span', { className: 'alert-name', textContent: this.#name(alert.conversationId) }),
      ` · due ${whenFull(alert.dueAt)}`);
    button.onclick = () => this.#open(alert.conversationId);
    $('alerts').prepend(el('li', {
      className: `alert alert-${alert.level}`,
      dataset: { testid: 'alert', level: alert.level, conversation: alert.conversationId, key },
    }, button));
    $('alerts-empty').hidden = true;
  }
}
