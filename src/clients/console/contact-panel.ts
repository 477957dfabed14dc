// The side panel beside a thread: who the customer is (name, handles), the CRM record the thread hangs off,
// the customer's other conversations (one click opens one) and the record's timeline.
import type { ActivityDto, ContactDto, ConversationDto } from '../sdk/index.ts';
import { $, el } from './dom.ts';
import { whenFull, whenShort } from './format.ts';
import type { Workspace } from './workspace.ts';

const TIMELINE = 15;

/** A timeline entry in words: who did what. */
function describe(ws: Workspace, a: ActivityDto): string {
  const who = a.actorId ? ws.dir.userName(a.actorId) : 'Switchboard';
  const data = a.data ?? {};
  if (a.kind.startsWith('message.')) {
    const m = a.message;
    const author = a.kind === 'message.inbound' ? 'Customer' : a.kind === 'message.internal' ? `${who} (note)` : who;
    return m ? `${author}: ${m.masked ? '(hidden)' : m.body.slice(0, 80)}` : `${author} wrote`;
  }
  if (a.kind.startsWith('assignment.')) {
    const to = typeof data.assigneeId === 'string' ? ws.dir.userName(data.assigneeId) : null;
    return to ? `Assigned to ${to}${a.kind === 'assignment.auto_round_robin' ? ' (round robin)' : ''}` : 'Unassigned';
  }
  switch (a.kind) {
    case 'conversation.created': return 'Conversation started';
    case 'conversation.status': return `${who} set the status to ${String(data.to)}`;
    case 'conversation.archived': return 'Archived';
    default: return `${a.kind.replace(/[._]/g, ' ')}${a.actorId ? ` by ${who}` : ''}`;
  }
}

export class ContactPanel {
  readonly #ws: Workspace;
  readonly #open: (id: string) => void;
  #showing: string | null = null;

  constructor(ws: Workspace, open: (id: string) => void) {
    this.#ws = ws;
    this.#open = open;
  }

  async show(c: ConversationDto): Promise<void> {
    this.#showing = c.id;
    const panel = $('contact-panel');
    panel.hidden = false;
    const contact = c.contactId ? await this.#ws.dir.fetchContact(c.contactId) : null;
    if (this.#showing !== c.id) return;
    $('contact-name').textContent = contact?.name ?? c.source?.handle ?? 'No contact';
    $('contact-details').replaceChildren(...this.#details(contact, c));
    const [others, timeline] = await Promise.all([this.#others(c), this.#timeline(c)]);
    if (this.#showing !== c.id) return;
    $('contact-conversations').replaceChildren(...others);
    $('contact-timeline').replaceChildren(...timeline);
  }

  #details(contact: ContactDto | null, c: ConversationDto): HTMLElement[] {
    const rows: [string, string | null | undefined][] = [
      ['E-mail', contact?.email], ['Phone', contact?.phone], ['Company', c.companyId ?? contact?.companyId],
      ['Record', c.entityType ? `${c.entityType} ${c.entityId}` : null],
    ];
    return [
      ...rows.filter(([, v]) => v).map(([k, v]) => el('div', { className: 'detail' }, el('dt', { textContent: k }), el('dd', { textContent: v! }))),
      ...(contact?.identities.length ? [el('div', { className: 'detail' }, el('dt', { textContent: 'Handles' }),
        el('dd', {}, el('ul', { className: 'identities', dataset: { testid: 'identities' } },
          ...contact.identities.map((i) => el('li', { textContent: `${i.channel}: ${i.handle}` })))))] : []),
    ];
  }

  async #others(c: ConversationDto): Promise<HTMLElement[]> {
    if (!c.contactId) return [el('li', { className: 'empty', textContent: 'None' })];
    const { conversations } = await this.#ws.client.http<{ conversations: ConversationDto[] }>('GET', `/v1/conversations?contactId=${c.contactId}&limit=10`)
      .catch(() => ({ conversations: [] as ConversationDto[] }));
    const others = conversations.filter((o) => o.id !== c.id);
    if (!others.length) return [el('li', { className: 'empty', textContent: 'No other conversations' })];
    return others.map((o) => {
      this.#ws.conversations.set(o.id, { ...this.#ws.conversations.get(o.id), ...o });
      const button = el('button', { type: 'button', className: 'link', dataset: { testid: 'other-conversation' } },
        `${o.subject ?? o.lastMessagePreview ?? o.channel} · ${o.status} · ${whenShort(o.lastMessageAt ?? o.createdAt)}`);
      button.onclick = () => this.#open(o.id);
      return el('li', {}, button);
    });
  }

  async #timeline(c: ConversationDto): Promise<HTMLElement[]> {
    // The record the thread hangs off, else the customer's own record.
    const [type, id] = c.entityType ? [c.entityType, c.entityId!] : c.contactId ? ['contact', c.contactId] : [null, null];
    if (!type) return [el('li', { className: 'empty', textContent: 'No record' })];
    const { activities } = await this.#ws.client.http<{ activities: ActivityDto[] }>('GET', `/v1/entities/${type}/${encodeURIComponent(id!)}/timeline?limit=${TIMELINE}`)
      .catch(() => ({ activities: [] as ActivityDto[] }));
    if (!activities.length) return [el('li', { className: 'empty', textContent: 'Nothing yet' })];
    return activities.map((a) => el('li', { dataset: { testid: 'timeline-entry' } },
      el('time', { dateTime: a.occurredAt, textContent: whenFull(a.occurredAt) }), ' ', el('span', { textContent: describe(this.#ws, a) })));
  }
}
