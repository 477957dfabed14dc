// The composer: reply, note or whisper (each looks different), Enter sends, and "/" at the start opens the
// canned responses: typing filters them, arrows choose, Enter or a click inserts one (its use is counted when
// the message goes out), Escape closes.
import type { CannedResponseDto, MessageDto } from '../sdk/index.ts';
import { $, el, showError } from './dom.ts';
import type { Workspace } from './workspace.ts';

type Mode = 'reply' | 'note' | 'whisper';

export class Composer {
  conversationId: string | null = null;
  readonly #ws: Workspace;
  #mode: Mode = 'reply';
  #canned: CannedResponseDto[] = [];
  #choice = 0;
  #cannedUsed: CannedResponseDto | null = null;
  #lookup = 0;

  constructor(ws: Workspace) {
    this.#ws = ws;
    this.#wire();
  }

  get #box() { return $<HTMLTextAreaElement>('body'); }

  focus(): void {
    this.#box.focus();
  }

  setMode(mode: Mode): void {
    this.#mode = mode;
    for (const input of document.querySelectorAll<HTMLInputElement>('input[name=mode]')) input.checked = input.value === mode;
    $('composer').dataset.mode = mode;
    $('whisper-to').hidden = mode !== 'whisper';
    this.#box.placeholder = mode === 'reply' ? 'Reply to the customer (Enter sends, / for canned responses)'
      : mode === 'note' ? 'Internal note: only your team sees it' : 'Whisper: only the chosen person (and supervisors) see it';
  }

  /** The people one may whisper to (not oneself, not bots). */
  fillWhisperTargets(): void {
    const { dir, me } = this.#ws;
    $<HTMLSelectElement>('whisper-to').replaceChildren(...[...dir.users.values()]
      .filter((u) => u.id !== me.id && u.role !== 'bot' && u.active)
      .map((u) => el('option', { value: u.id, textContent: u.name })));
  }

  async send(): Promise<MessageDto | null> {
    const id = this.conversationId;
    const body = this.#box.value.trim();
    if (!id || !body) return null;
    const canned = this.#cannedUsed && body.includes(this.#cannedUsed.body.trim()) ? this.#cannedUsed.id : undefined;
    const options = this.#mode === 'reply' ? { direction: 'outbound' as const }
      : this.#mode === 'note' ? { direction: 'internal' as const }
      : { direction: 'internal' as const, whisperTo: $<HTMLSelectElement>('whisper-to').value };
    this.#box.value = '';
    this.#cannedUsed = null;
    try {
      const message = await this.#ws.client.send(id, body, { ...options, ...(canned ? { cannedResponseId: canned } : {}) });
      showError($('composer-error'), null);
      // Back to replying after a note or whisper, so the next message does not go to the team by mistake.
      this.setMode('reply');
      return message;
    } catch (err) {
      this.#box.value = body;
      showError($('composer-error'), err);
      return null;
    }
  }

  async #openCanned(): Promise<void> {
    const prefix = this.#box.value.slice(1).trim().toLowerCase();
    const lookup = ++this.#lookup;
    const { cannedResponses } = await this.#ws.client.http<{ cannedResponses: CannedResponseDto[] }>('GET', '/v1/canned-responses?limit=100')
      .catch(() => ({ cannedResponses: [] as CannedResponseDto[] }));
    if (lookup !== this.#lookup) return;
    this.#canned = cannedResponses.filter((c) => !prefix || c.shortcut.toLowerCase().includes(prefix)
      || c.title?.toLowerCase().includes(prefix) || c.body.toLowerCase().includes(prefix));
    this.#choice = 0;
    this.#renderCanned();
  }

  #renderCanned(): void {
    const list = $('canned');
    list.hidden = false;
    list.replaceChildren(...(this.#canned.length ? this.#canned.map((c, i) => {
      const item = el('li', {
        className: i === this.#choice ? 'chosen' : '', dataset: { testid: 'canned-item', id: c.id },
        attrs: { role: 'option', 'aria-selected': String(i === this.#choice) },
      },
      el('strong', { textContent: `/${c.shortcut}` }), ' ', el('span', { textContent: c.title ?? c.body.slice(0, 60) }));
      item.onmousedown = (e) => { e.preventDefault(); this.#insert(c); };
      return item;
    }) : [el('li', { className: 'empty', textContent: 'No canned response matches' })]));
  }

  /** Also drops a lookup still under way: its answer must not open the list again (a second Enter would insert, not send). */
  #closeCanned(): void {
    this.#lookup++;
    $('canned').hidden = true;
    this.#canned = [];
  }

  #insert(c: CannedResponseDto): void {
    this.#box.value = c.body;
    this.#cannedUsed = c;
    this.#closeCanned();
    this.#box.focus();
  }

  #wire(): void {
    const box = this.#box;
    for (const input of document.querySelectorAll<HTMLInputElement>('input[name=mode]')) input.onchange = () => this.setMode(input.value as Mode);
    box.addEventListener('input', () => {
      if (box.value.startsWith('/')) void this.#openCanned(); else this.#closeCanned();
    });
    box.addEventListener('keydown', (e) => {
      const picking = !$('canned').hidden && this.#canned.length > 0;
      if (picking && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        this.#choice = (this.#choice + (e.key === 'ArrowDown' ? 1 : this.#canned.length - 1)) % this.#canned.length;
        this.#renderCanned();
        return;
      }
      if (picking && (e.key === 'Enter' || e.key === 'Tab')) {
        e.preventDefault();
        this.#insert(this.#canned[this.#choice]);
        return;
      }
      if (e.key === 'Escape') { this.#closeCanned(); box.blur(); return; }
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        $<HTMLFormElement>('composer').requestSubmit();
        return;
      }
      if (this.conversationId) this.#ws.client.typing(this.conversationId);
    });
    $<HTMLFormElement>('composer').onsubmit = (e) => { e.preventDefault(); void this.send(); };
    this.setMode('reply');
  }
}
