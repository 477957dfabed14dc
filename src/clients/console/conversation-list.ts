// The conversation list: views (mine, unassigned, all) and inbox and team filters read from the server a page
// at a time, a search over what is loaded (contact, handle, subject, last message, id; a full id is read from
// the server) joined by the server's full-text search (messages and conversations it finds are listed too),
// rows that name the customer, and j/k/Enter to move and open.
import type { ConversationDto, SearchHitDto } from '../sdk/index.ts';
import { $, el, showError } from './dom.ts';
import { whenShort } from './format.ts';
import { slaBadge } from './sla-badge.ts';
import { conversationName, type Workspace } from './workspace.ts';

export type View = 'mine' | 'unassigned' | 'all';
const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The server is asked once typing pauses this long, for queries of at least two characters. */
const SEARCH_PAUSE_MS = 250;

export class ConversationList {
  view: View;
  inboxId = '';
  teamId = '';
  query = '';
  /** Conversations the server's search found for the current query (in a message, a subject, a tag, an attribute). */
  #found = new Set<string>();
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  selected: string | null = null;
  #focused: string | null = null;
  #cursor: string | null = null;
  readonly #ws: Workspace;
  readonly #open: (id: string) => void;

  constructor(ws: Workspace, open: (id: string) => void) {
    this.#ws = ws;
    this.#open = open;
    this.view = ws.me.role === 'agent' ? 'mine' : 'all';
    this.#wire();
  }

  /** Reads the first page of the current view again (a view or inbox change, a resync). */
  async reload(): Promise<void> {
    this.#cursor = null;
    await this.#page();
  }

  async more(): Promise<void> {
    if (this.#cursor) await this.#page(this.#cursor);
  }

  async #page(cursor?: string): Promise<void> {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (this.view === 'mine' && this.#ws.me.id) params.set('assigneeId', this.#ws.me.id);
    if (this.view === 'unassigned') params.set('assigneeId', 'none');
    if (this.inboxId) params.set('inboxId', this.inboxId);
    if (this.teamId) params.set('teamId', this.teamId);
    if (cursor) params.set('cursor', cursor);
    try {
      const page = await this.#ws.client.http<{ conversations: ConversationDto[]; nextCursor: string | null }>('GET', `/v1/conversations?${params}`);
      for (const c of page.conversations) this.#ws.conversations.set(c.id, c);
      this.#cursor = page.nextCursor;
      showError($('list-error'), null);
    } catch (err) {
      showError($('list-error'), err);
    }
    this.render();
  }

  /** The rows of the current view and search, newest activity first. */
  visible(): ConversationDto[] {
    const me = this.#ws.me.id;
    const q = this.query.trim().toLowerCase();
    return [...this.#ws.conversations.values()]
      .filter((c) => c.status !== 'archived')
      .filter((c) => this.view === 'all' || (this.view === 'mine' ? c.assigneeId === me : c.assigneeId === null))
      .filter((c) => !this.inboxId || c.inboxId === this.inboxId)
      .filter((c) => !this.teamId || c.teamId === this.teamId)
      .filter((c) => !q || this.#matches(c, q) || this.#found.has(c.id))
      .sort((a, b) => (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt));
  }

  #matches(c: ConversationDto, q: string): boolean {
    const contact = this.#ws.dir.contact(c.contactId);
    const haystack = [
      conversationName(this.#ws, c), c.subject, c.lastMessagePreview, c.id, c.source?.handle,
      contact?.email, contact?.phone, ...(contact?.identities.map((i) => i.handle) ?? []),
    ];
    return haystack.some((s) => s?.toLowerCase().includes(q));
  }

  render(): void {
    const rows = this.visible();
    if (this.#focused && !rows.some((c) => c.id === this.#focused)) this.#focused = null;
    $('conversations').replaceChildren(...rows.map((c) => this.#row(c)));
    $('list-empty').hidden = rows.length > 0;
    $('more').hidden = !this.#cursor;
    const total = $('total-unread');
    total.hidden = !this.#ws.client.totalUnread;
    total.textContent = String(this.#ws.client.totalUnread);
  }

  #row(c: ConversationDto): HTMLElement {
    const { dir, client } = this.#ws;
    const unread = client.unread.get(c.id) ?? 0;
    const sla = slaBadge(c, this.#ws.warned.has(c.id));
    const inbox = dir.inboxes.get(c.inboxId)?.name ?? c.channel;
    const classes = ['row', c.id === this.selected ? 'active' : '', c.id === this.#focused ? 'focused' : '', unread ? 'unread' : ''];
    const button = el('button', {
      type: 'button', className: 'row-button', dataset: { testid: 'open-conversation' },
      attrs: { 'aria-label': `${conversationName(this.#ws, c)}, ${c.status}${unread ? `, ${unread} unread` : ''}` },
    },
    el('span', { className: 'row-top' },
      el('strong', { className: 'name', textContent: conversationName(this.#ws, c), dataset: { testid: 'conversation-name' } }),
      el('time', { className: 'when', textContent: whenShort(c.lastMessageAt ?? c.createdAt), dateTime: c.lastMessageAt ?? c.createdAt }),
      unread ? el('span', { className: 'badge', textContent: String(unread), dataset: { testid: 'unread' } }) : null),
    el('span', { className: 'preview', textContent: c.masked ? '(content hidden)' : c.lastMessagePreview ?? c.subject ?? '' }),
    el('span', { className: 'row-meta' },
      el('span', { className: `channel channel-${c.channel}`, textContent: c.channel }),
      el('span', { textContent: inbox }),
      el('span', { className: `status status-${c.status}`, textContent: c.status, dataset: { testid: 'row-status' } }),
      el('span', { className: 'assignee', textContent: c.assigneeId ? dir.userName(c.assigneeId) : 'unassigned', dataset: { testid: 'row-assignee' } }),
      sla ? el('span', { className: `sla sla-${sla.level}`, textContent: sla.text, dataset: { testid: 'sla', level: sla.level } }) : null));
    button.onclick = () => this.#open(c.id);
    return el('li', { className: classes.filter(Boolean).join(' '), dataset: { testid: 'conversation', id: c.id } }, button);
  }

  /** j/k: the focus moves through the rows (Enter opens it). */
  move(delta: number): void {
    const rows = this.visible();
    if (!rows.length) return;
    const at = rows.findIndex((c) => c.id === (this.#focused ?? this.selected));
    const next = rows[Math.max(0, Math.min(rows.length - 1, at === -1 ? 0 : at + delta))];
    this.#focused = next.id;
    this.render();
    document.querySelector(`[data-testid=conversation][data-id="${next.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  openFocused(): void {
    if (this.#focused) this.#open(this.#focused);
  }

  #wire(): void {
    const views = document.querySelectorAll<HTMLButtonElement>('[data-view]');
    const showView = () => views.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.view === this.view)));
    views.forEach((b) => {
      b.onclick = () => { this.view = b.dataset.view as View; showView(); void this.reload(); };
    });
    showView();
    const inbox = $<HTMLSelectElement>('inbox-filter');
    inbox.replaceChildren(el('option', { value: '', textContent: 'All inboxes' }),
      ...[...this.#ws.dir.inboxes.values()].map((i) => el('option', { value: i.id, textContent: i.name })));
    inbox.onchange = () => { this.inboxId = inbox.value; void this.reload(); };
    const team = $<HTMLSelectElement>('team-filter');
    team.replaceChildren(el('option', { value: '', textContent: 'All teams' }),
      ...[...this.#ws.dir.teams.values()].map((t) => el('option', { value: t.id, textContent: t.name })));
    team.hidden = this.#ws.dir.teams.size === 0;
    team.onchange = () => { this.teamId = team.value; void this.reload(); };
    const search = $<HTMLInputElement>('search');
    search.oninput = () => {
      this.query = search.value;
      this.#found = new Set();
      this.render();
      clearTimeout(this.#searchTimer);
      if (search.value.trim().length >= 2) this.#searchTimer = setTimeout(() => void this.#searchServer(search.value), SEARCH_PAUSE_MS);
      const id = search.value.trim();
      if (UUID.test(id) && !this.#ws.conversations.has(id)) {
        void this.#ws.client.http<{ conversation: ConversationDto }>('GET', `/v1/conversations/${id}`)
          .then(({ conversation }) => { this.#ws.conversations.set(conversation.id, conversation); this.render(); })
          .catch(() => undefined);
      }
    };
    $('more').onclick = () => void this.more();
  }

  /** The server's full-text search: the conversations it finds (and those of the messages it finds) join the list. */
  async #searchServer(query: string): Promise<void> {
    try {
      const params = new URLSearchParams({ q: query.trim(), types: 'messages,conversations', limit: '30' });
      const { hits } = await this.#ws.client.http<{ hits: SearchHitDto[] }>('GET', `/v1/search?${params}`);
      if (query !== this.query) return;
      for (const hit of hits) {
        if (hit.conversation) this.#ws.conversations.set(hit.conversation.id, hit.conversation);
        if (hit.conversationId) this.#found.add(hit.conversationId);
      }
      const missing = [...this.#found].filter((id) => !this.#ws.conversations.has(id));
      await Promise.all(missing.map((id) => this.#ws.client.http<{ conversation: ConversationDto }>('GET', `/v1/conversations/${id}`)
        .then(({ conversation }) => { this.#ws.conversations.set(conversation.id, conversation); }).catch(() => undefined)));
      if (query === this.query) this.render();
    } catch {
      // The local search stands alone when the server's cannot answer.
    }
  }
}
