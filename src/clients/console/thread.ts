// The open conversation: its customer named in the header, its controls (status, snooze until a chosen time,
// resolve, assignment as the role allows, tags), pinned notes on top, the messages, who is typing (people
// and bots) and the composer. Refusals show inline under the controls.
import type { ConversationDto, MessageDto, TagDto } from '../sdk/index.ts';
import { Composer } from './composer.ts';
import { $, el, showError } from './dom.ts';
import { localInputValue } from './format.ts';
import { messageItem } from './message-item.ts';
import { slaBadge } from './sla-badge.ts';
import { conversationName, isSupervisor, type Workspace } from './workspace.ts';

export class ThreadView {
  id: string | null = null;
  readonly composer: Composer;
  readonly #ws: Workspace;
  readonly #messages = new Map<string, MessageDto[]>();
  readonly #typing = new Map<string, Map<string, string>>();
  #tags: TagDto[] = [];
  #pins: MessageDto[] = [];

  constructor(ws: Workspace) {
    this.#ws = ws;
    this.composer = new Composer(ws);
    this.#wire();
  }

  get conversation(): ConversationDto | undefined {
    return this.id ? this.#ws.conversations.get(this.id) : undefined;
  }

  async open(id: string): Promise<void> {
    this.id = id;
    this.composer.conversationId = id;
    $('thread').hidden = false;
    $('thread-empty').hidden = true;
    showError($('thread-error'), null);
    this.renderHead();
    this.renderMessages();
    this.renderTyping();
    const { client } = this.#ws;
    if (client.lastSeq(id) === undefined) {
      try {
        const { conversation } = await client.join(id);
        this.#ws.conversations.set(id, conversation);
        this.renderHead();
      } catch (err) {
        showError($('thread-error'), err);
      }
    }
    await Promise.all([this.#loadTags(id), this.#loadPins(id)]);
    if (this.#ws.me.role !== 'bot') await client.markRead(id).catch(() => undefined);
  }

  close(): void {
    this.id = null;
    this.composer.conversationId = null;
    $('thread').hidden = true;
    $('thread-empty').hidden = false;
  }

  // --- live input ----------------------------------------------------------------------------
  addMessage(m: MessageDto): void {
    const list = this.#messages.get(m.conversationId) ?? [];
    if (list.some((x) => x.id === m.id)) return;
    list.push(m);
    list.sort((a, b) => a.seq - b.seq);
    this.#messages.set(m.conversationId, list);
    if (m.conversationId !== this.id) return;
    this.renderMessages();
    if (this.#ws.me.role !== 'bot' && document.visibilityState === 'visible') void this.#ws.client.markRead(m.conversationId, m.seq).catch(() => undefined);
  }

  updateMessage(m: MessageDto): void {
    const list = this.#messages.get(m.conversationId);
    const at = list?.findIndex((x) => x.id === m.id) ?? -1;
    if (list && at >= 0) list[at] = m;
    if (m.conversationId === this.id) this.renderMessages();
  }

  setStatus(conversationId: string, messageId: string, status: MessageDto['status']): void {
    const m = this.#messages.get(conversationId)?.find((x) => x.id === messageId);
    if (m) this.updateMessage({ ...m, status });
  }

  setTyping(conversationId: string, userId: string, name: string, on: boolean): void {
    const who = this.#typing.get(conversationId) ?? new Map<string, string>();
    const bot = this.#ws.dir.users.get(userId)?.role === 'bot';
    if (on) who.set(userId, bot ? `${name} (bot)` : name); else who.delete(userId);
    this.#typing.set(conversationId, who);
    if (conversationId === this.id) this.renderTyping();
  }

  // --- rendering -----------------------------------------------------------------------------
  renderHead(): void {
    const c = this.conversation;
    if (!c) return;
    const { dir, me } = this.#ws;
    $('thread-title').textContent = conversationName(this.#ws, c);
    const inbox = dir.inboxes.get(c.inboxId)?.name ?? '';
    $('thread-sub').textContent = [c.subject, `${c.channel} · ${inbox}`, c.source?.handle].filter(Boolean).join(' · ');
    const sla = slaBadge(c, this.#ws.warned.has(c.id));
    const badge = $('thread-sla');
    badge.hidden = !sla;
    if (sla) { badge.className = `sla sla-${sla.level}`; badge.textContent = `SLA ${sla.text}`; }
    $('thread-status').textContent = c.snoozedUntil && c.status === 'snoozed' ? `snoozed until ${new Date(c.snoozedUntil).toLocaleString()}` : c.status;
    $('thread-status').className = `status status-${c.status}`;
    const status = $<HTMLSelectElement>('status');
    status.value = c.status;
    $<HTMLButtonElement>('resolve').hidden = c.status === 'resolved' || c.status === 'closed';
    // Assignment as the role allows: supervisors choose anyone, an agent takes an unassigned one for themself.
    const assignee = $<HTMLSelectElement>('assignee');
    const take = $<HTMLButtonElement>('take');
    if (isSupervisor(me)) {
      assignee.hidden = false;
      take.hidden = true;
      assignee.replaceChildren(el('option', { value: '', textContent: 'Unassigned' }),
        ...[...dir.users.values()].filter((u) => u.role !== 'bot' && u.active).map((u) => el('option', { value: u.id, textContent: u.name })));
      assignee.value = c.assigneeId ?? '';
    } else {
      assignee.hidden = true;
      take.hidden = c.assigneeId !== null || me.role === 'bot';
    }
    $('assigned-to').textContent = c.assigneeId ? `Assigned to ${dir.userName(c.assigneeId)}` : 'Unassigned';
    this.#renderTags();
  }

  renderMessages(): void {
    const list = this.id ? this.#messages.get(this.id) ?? [] : [];
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.replaceChildren(...list.map((m) => messageItem(this.#ws, m, (x) => void this.#togglePin(x))));
    $('pins').replaceChildren(...this.#pins.map((m) => el('li', { className: 'pin', dataset: { testid: 'pinned' } },
      el('strong', { textContent: '📌 ' }), el('span', { textContent: m.body }))));
    $('pins').hidden = this.#pins.length === 0;
    if (atBottom || list.length < 30) box.lastElementChild?.scrollIntoView({ block: 'end' });
  }

  renderTyping(): void {
    const names = this.id ? [...(this.#typing.get(this.id)?.values() ?? [])] : [];
    $('typing').textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  #renderTags(): void {
    const chips = this.#tags.map((t) => {
      const remove = el('button', { type: 'button', className: 'chip-remove', textContent: '×', attrs: { 'aria-label': `Remove tag ${t.name}` } });
      remove.onclick = () => void this.#untag(t.id);
      return el('li', { className: 'chip', dataset: { testid: 'tag' } }, el('span', { textContent: t.name }), remove);
    });
    $('tags').replaceChildren(...chips);
    const add = $<HTMLSelectElement>('add-tag');
    const taken = new Set(this.#tags.map((t) => t.id));
    add.replaceChildren(el('option', { value: '', textContent: '+ Tag' }),
      ...[...this.#ws.dir.tags.values()].filter((t) => !taken.has(t.id)).map((t) => el('option', { value: t.id, textContent: t.name })));
  }

  // --- actions -------------------------------------------------------------------------------
  async #act(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      showError($('thread-error'), null);
    } catch (err) {
      showError($('thread-error'), err);
      this.renderHead();
    }
  }

  async #loadTags(id: string): Promise<void> {
    const { tags } = await this.#ws.client.http<{ tags: TagDto[] }>('GET', `/v1/conversations/${id}/tags`).catch(() => ({ tags: [] as TagDto[] }));
    if (id === this.id) { this.#tags = tags; this.#renderTags(); }
  }

  async #loadPins(id: string): Promise<void> {
    const { messages } = await this.#ws.client.http<{ messages: MessageDto[] }>('GET', `/v1/conversations/${id}/pins`).catch(() => ({ messages: [] as MessageDto[] }));
    if (id === this.id) { this.#pins = messages; this.renderMessages(); }
  }

  async #untag(tagId: string): Promise<void> {
    const id = this.id!;
    await this.#act(() => this.#ws.client.http('DELETE', `/v1/conversations/${id}/tags/${tagId}`));
    await this.#loadTags(id);
  }

  async #togglePin(m: MessageDto): Promise<void> {
    await this.#act(() => this.#ws.client.http(m.pinnedAt ? 'DELETE' : 'POST', `/v1/messages/${m.id}/pin`));
    const pinned = this.#pins.some((p) => p.id === m.id);
    this.updateMessage({ ...m, pinnedAt: pinned ? null : new Date().toISOString() });
    await this.#loadPins(m.conversationId);
  }

  async resolve(): Promise<void> {
    if (this.id) await this.#act(() => this.#ws.client.setStatus(this.id!, 'resolved'));
  }

  #wire(): void {
    const { client } = this.#ws;
    $<HTMLSelectElement>('status').onchange = (e) => {
      const value = (e.target as HTMLSelectElement).value as 'open' | 'pending' | 'resolved' | 'closed';
      if (this.id && value) void this.#act(() => client.setStatus(this.id!, value));
    };
    $('resolve').onclick = () => void this.resolve();
    const until = $<HTMLInputElement>('snooze-until');
    $('snooze').onclick = () => {
      until.value ||= localInputValue(new Date(Date.now() + 60 * 60_000));
      until.min = localInputValue(new Date());
      $('snooze-form').hidden = !$('snooze-form').hidden;
      if (!$('snooze-form').hidden) until.focus();
    };
    $<HTMLFormElement>('snooze-form').onsubmit = (e) => {
      e.preventDefault();
      const at = new Date(until.value);
      if (!this.id || Number.isNaN(at.getTime())) return;
      void this.#act(async () => {
        await client.setStatus(this.id!, 'snoozed', at.toISOString());
        $('snooze-form').hidden = true;
      });
    };
    $<HTMLSelectElement>('assignee').onchange = (e) => {
      if (this.id) void this.#act(() => client.assign(this.id!, (e.target as HTMLSelectElement).value || null));
    };
    $('take').onclick = () => { if (this.id && this.#ws.me.id) void this.#act(() => client.assign(this.id!, this.#ws.me.id)); };
    $<HTMLSelectElement>('add-tag').onchange = (e) => {
      const tagId = (e.target as HTMLSelectElement).value;
      const id = this.id;
      if (!id || !tagId) return;
      void this.#act(() => client.http('POST', `/v1/conversations/${id}/tags`, { tagId })).then(() => this.#loadTags(id));
    };
  }
}
