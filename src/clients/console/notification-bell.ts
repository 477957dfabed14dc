// The notifications bell: the unread count in the header, the latest notifications in a panel (each opening
// its conversation), live from the `notification` event, and "mark all read".
import type { NotificationDto } from '../sdk/index.ts';
import { $, el } from './dom.ts';
import { whenShort } from './format.ts';
import { conversationName, type Workspace } from './workspace.ts';

const LABEL: Record<NotificationDto['kind'], string> = {
  assigned: 'Assigned to you', mention: 'You were mentioned', sla_warning: 'SLA warning', customer_replied: 'Customer replied',
};

export class NotificationBell {
  readonly #ws: Workspace;
  readonly #open: (id: string) => void;
  #items: NotificationDto[] = [];
  #unread = 0;

  constructor(ws: Workspace, open: (id: string) => void) {
    this.#ws = ws;
    this.#open = open;
    $('bell').onclick = () => { $('bell-panel').hidden = !$('bell-panel').hidden; this.#render(); };
    $('bell-read').onclick = () => void this.#markAllRead();
    ws.client.on('notification', ({ notification, unreadCount }) => {
      this.#items = [notification, ...this.#items].slice(0, 30);
      this.#unread = unreadCount;
      this.#render();
    });
  }

  async load(): Promise<void> {
    const page = await this.#ws.client.http<{ notifications: NotificationDto[]; unreadCount: number }>('GET', '/v1/notifications?limit=30').catch(() => null);
    if (!page) return;
    this.#items = page.notifications;
    this.#unread = page.unreadCount;
    this.#render();
  }

  async #markAllRead(): Promise<void> {
    const answer = await this.#ws.client.http<{ unreadCount: number }>('POST', '/v1/notifications/read', { all: true }).catch(() => null);
    if (!answer) return;
    this.#unread = answer.unreadCount;
    const now = new Date().toISOString();
    this.#items = this.#items.map((n) => ({ ...n, readAt: n.readAt ?? now }));
    this.#render();
  }

  #render(): void {
    const count = $('bell-count');
    count.hidden = this.#unread === 0;
    count.textContent = String(this.#unread);
    $('bell').setAttribute('aria-label', `Notifications, ${this.#unread} unread`);
    if ($('bell-panel').hidden) return;
    $('bell-list').replaceChildren(...(this.#items.length ? this.#items.map((n) => {
      const c = this.#ws.conversations.get(n.conversationId);
      const who = n.actorId ? ` by ${this.#ws.dir.userName(n.actorId)}` : '';
      const button = el('button', { type: 'button', className: 'link' },
        el('strong', { textContent: LABEL[n.kind] }), `${who} · ${c ? conversationName(this.#ws, c) : 'a conversation'} · ${whenShort(n.createdAt)}`);
      button.onclick = () => { $('bell-panel').hidden = true; this.#open(n.conversationId); };
      return el('li', { className: n.readAt ? 'read' : 'unread', dataset: { testid: 'notification', kind: n.kind } }, button);
    }) : [el('li', { className: 'empty', textContent: 'Nothing yet' })]));
  }
}
