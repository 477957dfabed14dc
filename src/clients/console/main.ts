// The browser console: an agent workspace (a list of conversations by view, inbox and search; the thread
// with its tools; the customer beside it), and for supervisors the live queue with SLA alerts and a reports
// page. Everything live comes through the client SDK; user text is only ever set as textContent. This module
// signs in and wires the parts together; each part is its own module.
import { SwitchboardClient, type UserDto } from '../sdk/index.ts';
import { ContactPanel } from './contact-panel.ts';
import { ConversationList } from './conversation-list.ts';
import { Directory } from './directory.ts';
import { NotificationBell } from './notification-bell.ts';
import { $ } from './dom.ts';
import { ReportsPage } from './reports.ts';
import { SupervisorBoard } from './supervisor.ts';
import { ThreadView } from './thread.ts';
import { isSupervisor, type Me, type Workspace } from './workspace.ts';

const TOKEN_KEY = 'switchboard.token';
/** The role and user id from a JWT's claims (display only: the server checks the token). Bot keys are opaque. */
function whoIs(token: string): Pick<Me, 'id' | 'role'> {
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

type Page = 'inbox' | 'queue' | 'reports';

async function start(): Promise<void> {
  const fromLink = linkToken();
  if (fromLink) await confirmLink(fromLink);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showSignIn();
  const claimed = whoIs(token);
  const client = new SwitchboardClient({ url: location.origin, token, socket: { transports: ['websocket', 'polling'] } });
  try {
    await client.connect();
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    return showSignIn(`Sign-in refused: ${(err as Error).message}`);
  }
  $('app').hidden = false;

  const dir = new Directory(client);
  await dir.load();
  const role = client.me?.role ?? claimed.role;
  const id = client.me?.userId ?? claimed.id;
  const me: Me = { id, role, name: client.me?.name ?? (id && dir.users.get(id)?.name) ?? 'bot' };
  const ws: Workspace = { client, dir, me, conversations: new Map(), warned: new Set() };
  for (const u of dir.users.values()) client.presence.set(u.id, u.presence);
  $('me').textContent = `${me.name} · ${me.role}`;

  const thread = new ThreadView(ws);
  const list = new ConversationList(ws, (cid) => void openConversation(cid));
  const panel = new ContactPanel(ws, (cid) => void openConversation(cid));
  const board = isSupervisor(me) ? new SupervisorBoard(ws, (cid) => void openConversation(cid)) : null;
  const reports = isSupervisor(me) ? new ReportsPage(ws) : null;
  const bell = me.role === 'bot' ? null : new NotificationBell(ws, (cid) => void openConversation(cid));
  $('bell').hidden = !bell;
  dir.onContact = () => { list.render(); thread.renderHead(); thread.renderMessages(); };

  async function openConversation(cid: string): Promise<void> {
    showPage('inbox');
    list.selected = cid;
    $('app').classList.add('show-thread');
    list.render();
    await thread.open(cid);
    list.render();
    const c = ws.conversations.get(cid);
    if (c) void panel.show(c);
  }

  // --- pages ---------------------------------------------------------------------------------
  function showPage(page: Page): void {
    for (const p of ['inbox', 'queue', 'reports'] as Page[]) {
      $(`${p}-page`).hidden = p !== page;
      $(`tab-${p}`).setAttribute('aria-current', String(p === page));
    }
    if (page === 'reports') void reports?.load();
    if (page === 'queue') board?.renderQueue();
  }
  for (const p of ['inbox', 'queue', 'reports'] as Page[]) $(`tab-${p}`).onclick = () => showPage(p);
  // The inbox first; a person may switch pages while the rest is still loading.
  showPage('inbox');
  $('tab-queue').hidden = !board;
  $('tab-reports').hidden = !reports;
  $('back').onclick = () => { $('app').classList.remove('show-thread'); list.selected = null; thread.close(); list.render(); };

  // --- keyboard: j/k move, Enter opens, / searches, r replies, Escape leaves a field -----------
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    const typing = target.matches('input, textarea, select');
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown') { e.preventDefault(); list.move(1); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { e.preventDefault(); list.move(-1); }
    else if (e.key === 'Enter' && !target.matches('button, a')) { e.preventDefault(); list.openFocused(); }
    else if (e.key === '/') { e.preventDefault(); showPage('inbox'); $('search').focus(); }
    else if (e.key === 'r' && thread.id) { e.preventDefault(); thread.composer.setMode('reply'); thread.composer.focus(); }
  });
  $('search').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); list.move(0); list.openFocused(); }
    if (e.key === 'Escape' || e.key === 'ArrowDown') { e.preventDefault(); (e.target as HTMLElement).blur(); list.move(0); }
  });
  $<HTMLSelectElement>('presence').value = client.presence.get(me.id ?? '') ?? 'online';
  $<HTMLSelectElement>('presence').onchange = (e) => void client.setPresence((e.target as HTMLSelectElement).value as UserDto['presence']);
  $('sign-out').onclick = () => { sessionStorage.removeItem(TOKEN_KEY); client.close(); location.reload(); };
  thread.composer.fillWhisperTargets();

  // --- live ----------------------------------------------------------------------------------
  const showConnection = () => {
    const state = !client.connected ? 'offline' : client.degraded ? 'degraded' : 'live';
    $('connection').textContent = state === 'offline' ? 'reconnecting…' : state === 'degraded' ? 'live, degraded: updates may be late' : 'live';
    $('connection').dataset.state = state;
  };
  client.on('connected', showConnection);
  client.on('disconnected', showConnection);
  client.on('degraded', showConnection);
  // The server lost events while degraded: the SDK caught up the joined threads and breaches; the list is read again.
  client.on('resync', () => { showConnection(); if (me.role !== 'bot') void list.reload(); });
  client.on('message', (m) => thread.addMessage(m));
  client.on('message:updated', (m) => thread.updateMessage(m));
  client.on('message:status', (e) => thread.setStatus(e.conversationId, e.messageId, e.status));
  client.on('conversation', (c) => {
    ws.conversations.set(c.id, c);
    list.render();
    if (c.id === thread.id) thread.renderHead();
  });
  client.on('unread', () => list.render());
  client.on('typing', (e) => { if (e.userId !== me.id) thread.setTyping(e.conversationId, e.userId, e.name, e.isTyping); });
  client.on('sla', (alert) => {
    if (alert.level === 'warning') ws.warned.add(alert.conversationId);
    board?.addAlert(alert);
    list.render();
    if (alert.conversationId === thread.id) thread.renderHead();
  });
  showConnection();
  // Deadlines come closer without any event: the badges are redrawn every half minute.
  setInterval(() => { list.render(); thread.renderHead(); }, 30_000);

  if (me.role !== 'bot') {
    // The list shows every conversation one may see: hear all of their changes, not only those of one's inboxes.
    await client.watchConversations().catch(() => undefined);
    await list.reload();
  }
  if (board) await board.start();
  await bell?.load();
}

void start();
