// The browser console: conversation list with unread and SLA badges, a live thread with composer and typing,
// status and assignee controls, and for supervisors a board of SLA alerts and agents' presence and load.
// Everything live comes through the client SDK; user text is only ever set as textContent.
import { SwitchboardClient, type ConversationDto, type MessageDto, type SettableStatus, type SlaAlert, type UserDto } from '../sdk/index.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {}, ...children: (Node | string)[]) => {
  const node = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(node, rest);
  if (dataset) Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
};

const TOKEN_KEY = 'switchboard.token';
const SOON_MS = 10 * 60_000;

interface Me { id: string | null; role: string }

/** The role and user id from a JWT's claims (display only: the server checks the token). Bot keys are opaque. */
function whoIs(token: string): Me {
  const parts = token.split('.');
  if (parts.length !== 3) return { id: null, role: 'bot' };
  try {
    const claims = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { id: claims.sub ?? null, role: claims.role ?? 'agent' };
  } catch {
    return { id: null, role: 'agent' };
  }
}

/** A token from a sign-in link, taken out of the address bar at once (so it is neither kept nor shared). */
function linkToken(): string | null {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) history.replaceState(null, '', location.pathname);
  return fromLink;
}

/** Who a token signs in as, read with that token: the person's name, or that it is a bot's key. */
async function describe(token: string): Promise<string> {
  const me = whoIs(token);
  if (!me.id) return 'a bot (API key)';
  const res = await fetch(`/v1/users/${encodeURIComponent(me.id)}`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
  const body = res?.ok ? await res.json() as { user: UserDto } : null;
  return body ? `${body.user.name} (${body.user.role})` : `a ${me.role} whose token the server refuses`;
}

/**
 * A link never signs anyone in by itself: it could be someone else's token, meant to have the victim work (and
 * type customers' data) in the attacker's account. The person is told whose account it is and chooses.
 */
async function confirmLink(token: string): Promise<void> {
  const current = sessionStorage.getItem(TOKEN_KEY);
  if (current === token) return;
  const form = $<HTMLFormElement>('link-sign-in');
  const who = await describe(token);
  $('link-text').textContent = current
    ? `This link signs you out of ${await describe(current)} and in as ${who}. Continue only if you expected it.`
    : `This link signs you in as ${who}. Continue only if you expected it.`;
  $('sign-in').hidden = true;
  form.hidden = false;
  await new Promise<void>((resolve) => {
    form.onsubmit = (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, token);
      resolve();
    };
    $('link-cancel').onclick = () => resolve();
  });
  form.hidden = true;
}

function showSignIn(error?: string): void {
  $('app').hidden = true;
  const form = $<HTMLFormElement>('sign-in');
  form.hidden = false;
  if (error) form.querySelector('.hint')!.textContent = error;
  form.onsubmit = (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, (new FormData(form).get('token') as string).trim());
    location.reload();
  };
}

function slaState(c: ConversationDto, warned: Set<string>): 'ok' | 'warning' | 'breached' | null {
  const s = c.sla;
  if (!s?.policyId) return null;
  if (s.firstResponseBreachedAt || s.nextResponseBreachedAt || s.resolutionBreachedAt) return 'breached';
  const due = [s.firstResponseDueAt, s.nextResponseDueAt, s.resolutionDueAt].filter(Boolean).map((d) => Date.parse(d!));
  if (warned.has(c.id) || due.some((d) => d - Date.now() < SOON_MS)) return 'warning';
  return 'ok';
}

async function start(): Promise<void> {
  const fromLink = linkToken();
  if (fromLink) await confirmLink(fromLink);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showSignIn();
  const me = whoIs(token);
  const client = new SwitchboardClient({ url: location.origin, token, socket: { transports: ['websocket', 'polling'] } });
  try {
    await client.connect();
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    return showSignIn(`Sign-in refused: ${(err as Error).message}`);
  }
  $('app').hidden = false;

  const users = new Map<string, UserDto>();
  const conversations = new Map<string, ConversationDto>();
  const messages = new Map<string, MessageDto[]>();
  const typingNow = new Map<string, Map<string, string>>();
  const warned = new Set<string>();
  const supervisor = me.role === 'supervisor' || me.role === 'admin';
  let selected: string | null = null;

  for (const u of (await client.http<{ users: UserDto[] }>('GET', '/v1/users').catch(() => ({ users: [] }))).users) users.set(u.id, u);
  for (const u of users.values()) client.presence.set(u.id, u.presence);
  $('me').textContent = `${(me.id && users.get(me.id)?.name) || 'bot'} · ${me.role}`;
  if (me.role !== 'bot') {
    // The list shows every conversation: hear all of their changes, not only those of one's inboxes.
    await client.watchConversations().catch(() => undefined);
    const list = await client.http<{ conversations: ConversationDto[] }>('GET', '/v1/conversations?limit=100');
    for (const c of list.conversations) conversations.set(c.id, c);
  }

  // --- conversation list -------------------------------------------------------------------
  function renderList(): void {
    const sorted = [...conversations.values()].sort((a, b) => (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt));
    $('conversations').replaceChildren(...sorted.map((c) => {
      const unread = client.unread.get(c.id) ?? 0;
      const sla = slaState(c, warned);
      const li = el('li', { className: c.id === selected ? 'active' : '', dataset: { testid: 'conversation', id: c.id } },
        el('div', { className: 'row' },
          el('strong', { textContent: c.subject ?? `Conversation ${c.id.slice(0, 8)}` }),
          ...(unread ? [el('span', { className: 'badge', textContent: String(unread), dataset: { testid: 'unread' } })] : []),
          ...(sla ? [el('span', { className: `sla sla-${sla}`, textContent: sla, dataset: { testid: 'sla' } })] : [])),
        el('span', { className: 'preview', textContent: `${c.status} · ${c.lastMessagePreview ?? ''}` }));
      li.onclick = () => void select(c.id);
      return li;
    }));
    const total = $('total-unread');
    total.hidden = !client.totalUnread;
    total.textContent = String(client.totalUnread);
  }

  // --- thread ------------------------------------------------------------------------------
  function messageItem(m: MessageDto): HTMLElement {
    const author = m.authorId ? users.get(m.authorId)?.name ?? 'someone' : m.senderType === 'contact' ? 'customer' : m.senderType;
    const label = m.direction === 'internal' ? `Internal note · ${author}` : author;
    return el('li', { className: `message ${m.direction}`, dataset: { testid: 'message', direction: m.direction, seq: String(m.seq) } },
      el('div', { className: 'meta', textContent: `${label} · ${new Date(m.sentAt).toLocaleTimeString()}` }),
      el('div', { className: 'body', textContent: m.masked ? '(hidden)' : m.body }));
  }

  function renderHead(): void {
    const c = selected ? conversations.get(selected) : undefined;
    if (!c) return;
    $('thread-title').textContent = c.subject ?? `Conversation ${c.id.slice(0, 8)}`;
    $<HTMLSelectElement>('status').value = c.status === 'snoozed' ? 'pending' : c.status;
    const assignee = $<HTMLSelectElement>('assignee');
    assignee.replaceChildren(el('option', { value: '', textContent: 'Unassigned' }),
      ...[...users.values()].filter((u) => u.role !== 'bot' && u.active).map((u) => el('option', { value: u.id, textContent: u.name })));
    assignee.value = c.assigneeId ?? '';
  }

  function renderTyping(): void {
    const names = selected ? [...(typingNow.get(selected)?.values() ?? [])] : [];
    $('typing').textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  async function select(id: string): Promise<void> {
    selected = id;
    $('thread').hidden = false;
    renderHead();
    renderList();
    $('messages').replaceChildren(...(messages.get(id) ?? []).map(messageItem));
    renderTyping();
    if (client.lastSeq(id) === undefined) {
      const { conversation } = await client.join(id);
      conversations.set(id, conversation);
      renderHead();
    }
    if (me.role !== 'bot') await client.markRead(id).catch(() => undefined);
  }

  const composer = $<HTMLTextAreaElement>('body');
  composer.addEventListener('keydown', (e) => {
    if (!selected) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      $<HTMLFormElement>('composer').requestSubmit();
      return;
    }
    client.typing(selected);
  });
  $<HTMLFormElement>('composer').onsubmit = (e) => {
    e.preventDefault();
    const body = composer.value.trim();
    if (!selected || !body) return;
    composer.value = '';
    const internal = $<HTMLInputElement>('internal').checked;
    client.send(selected, body, { direction: internal ? 'internal' : 'outbound' }).catch((err: Error) => alert(err.message));
  };
  $<HTMLSelectElement>('status').onchange = (e) => {
    if (selected) client.setStatus(selected, (e.target as HTMLSelectElement).value as SettableStatus).catch((err: Error) => alert(err.message));
  };
  $<HTMLSelectElement>('assignee').onchange = (e) => {
    if (selected) client.assign(selected, (e.target as HTMLSelectElement).value || null).catch((err: Error) => { alert(err.message); renderHead(); });
  };
  $<HTMLSelectElement>('presence').onchange = (e) => void client.setPresence((e.target as HTMLSelectElement).value as UserDto['presence']);
  $('sign-out').onclick = () => { sessionStorage.removeItem(TOKEN_KEY); client.close(); location.reload(); };

  // --- supervisor board --------------------------------------------------------------------
  function renderAgents(): void {
    const load = new Map<string, number>();
    for (const c of conversations.values()) {
      if (c.assigneeId && (c.status === 'open' || c.status === 'pending')) load.set(c.assigneeId, (load.get(c.assigneeId) ?? 0) + 1);
    }
    $('agents').replaceChildren(...[...users.values()].filter((u) => u.role === 'agent' || u.role === 'supervisor').map((u) =>
      el('tr', { dataset: { testid: 'agent', id: u.id } },
        el('td', { textContent: u.name }),
        el('td', { textContent: client.presence.get(u.id) ?? 'offline', dataset: { testid: 'agent-presence' } }),
        el('td', { textContent: `${load.get(u.id) ?? 0}${u.capacity == null ? '' : ` / ${u.capacity}`}`, dataset: { testid: 'agent-load' } }))));
  }

  function addAlert(alert: Pick<SlaAlert, 'conversationId' | 'kind' | 'dueAt' | 'level'>): void {
    const subject = conversations.get(alert.conversationId)?.subject ?? alert.conversationId.slice(0, 8);
    const text = `${alert.level === 'breach' ? 'Breached' : 'Due soon'}: ${alert.kind.replace('_', ' ')} · ${subject} · due ${new Date(alert.dueAt).toLocaleTimeString()}`;
    const li = el('li', { className: `alert-${alert.level}`, textContent: text, dataset: { testid: 'alert', level: alert.level, conversation: alert.conversationId } });
    li.onclick = () => void select(alert.conversationId);
    $('alerts').prepend(li);
  }

  if (supervisor) {
    $('board').hidden = false;
    $('app').classList.add('with-board');
    // The SDK keeps the active breaches, and loads them again after a server resync (emitting `sla` for new ones).
    await client.loadBreaches().catch(() => undefined);
    await client.loadPresence().catch(() => undefined);
    for (const b of client.breaches.values()) addAlert({ ...b, level: 'breach' });
    renderAgents();
  }

  // --- live --------------------------------------------------------------------------------
  const showConnection = () => {
    $('connection').textContent = !client.connected ? 'reconnecting…' : client.degraded ? 'live, degraded: updates may be late' : 'live';
    $('connection').dataset.state = !client.connected ? 'offline' : client.degraded ? 'degraded' : 'live';
  };
  client.on('connected', showConnection);
  client.on('disconnected', showConnection);
  client.on('degraded', showConnection);
  // The server lost events while degraded: the SDK caught up the joined threads and breaches; the list is read again.
  client.on('resync', () => {
    showConnection();
    if (me.role === 'bot') return;
    void client.http<{ conversations: ConversationDto[] }>('GET', '/v1/conversations?limit=100').then((list) => {
      for (const c of list.conversations) conversations.set(c.id, c);
      renderList();
      if (supervisor) renderAgents();
    }).catch(() => undefined);
  });
  showConnection();
  client.on('message', (m) => {
    const list = messages.get(m.conversationId) ?? [];
    list.push(m);
    messages.set(m.conversationId, list);
    if (m.conversationId !== selected) return;
    $('messages').append(messageItem(m));
    $('messages').lastElementChild?.scrollIntoView({ block: 'end' });
    if (me.role !== 'bot' && document.visibilityState === 'visible') void client.markRead(m.conversationId, m.seq).catch(() => undefined);
  });
  client.on('conversation', (c) => {
    conversations.set(c.id, c);
    renderList();
    if (c.id === selected) renderHead();
    if (supervisor) renderAgents();
  });
  client.on('unread', () => renderList());
  client.on('typing', (e) => {
    if (e.userId === me.id) return;
    const who = typingNow.get(e.conversationId) ?? new Map<string, string>();
    if (e.isTyping) who.set(e.userId, e.name); else who.delete(e.userId);
    typingNow.set(e.conversationId, who);
    renderTyping();
  });
  client.on('presence', () => { if (supervisor) renderAgents(); });
  client.on('sla', (alert) => {
    if (alert.level === 'warning') warned.add(alert.conversationId);
    if (supervisor) addAlert(alert);
    renderList();
  });
  renderList();
}

void start();
