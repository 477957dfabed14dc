// One message as the thread shows it: who wrote it (named), when, its delivery ticks, its attachments (images
// inline), its recipients for e-mail, and what kind it is (reply, note, whisper) in its look and its label.
import type { AttachmentDto, MessageDto } from '../sdk/index.ts';
import { el } from './dom.ts';
import { whenFull } from './format.ts';
import type { Workspace } from './workspace.ts';

const TICKS: Record<MessageDto['status'], string> = { pending: '○', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

export function senderName(ws: Workspace, m: MessageDto): string {
  if (m.authorId) {
    const user = ws.dir.users.get(m.authorId);
    return user ? `${user.name}${user.role === 'bot' ? ' (bot)' : ''}` : 'someone';
  }
  if (m.senderType === 'contact') return ws.dir.contact(m.contactId)?.name ?? m.source?.handle ?? 'Customer';
  return m.senderType === 'system' ? 'Automated reply' : m.senderType;
}

function kindOf(m: MessageDto): { kind: string; label: string } {
  if (m.whisperToId) return { kind: 'whisper', label: 'Whisper' };
  if (m.direction === 'internal') return { kind: 'note', label: 'Internal note' };
  return { kind: m.direction, label: '' };
}

function attachmentItem(a: AttachmentDto): HTMLElement {
  const name = a.filename ?? a.url.split('/').pop() ?? 'attachment';
  if (a.type === 'image') {
    return el('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer', className: 'attachment image' },
      el('img', { src: a.thumbnailUrl ?? a.url, alt: name, loading: 'lazy' }));
  }
  return el('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer', className: 'attachment file', textContent: `📎 ${name}` });
}

export function messageItem(ws: Workspace, m: MessageDto, onPin?: (m: MessageDto) => void): HTMLElement {
  const { kind, label } = kindOf(m);
  const whisperTo = m.whisperToId ? ` to ${ws.dir.userName(m.whisperToId)}` : '';
  const recipients = m.recipients.filter((r) => r.role !== 'from');
  const meta = el('div', { className: 'meta' },
    el('strong', { className: 'sender', textContent: senderName(ws, m), dataset: { testid: 'sender' } }),
    label ? el('span', { className: 'kind', textContent: `${label}${whisperTo}` }) : null,
    el('time', { dateTime: m.sentAt, textContent: whenFull(m.sentAt) }),
    m.direction === 'outbound' ? el('span', {
      className: `ticks ticks-${m.status}`, textContent: TICKS[m.status], dataset: { testid: 'ticks', status: m.status },
      attrs: { 'aria-label': m.status, title: m.errorMessage ?? m.status },
    }) : null);
  const item = el('li', { className: `message ${kind}`, dataset: { testid: 'message', direction: m.direction, seq: String(m.seq), id: m.id } },
    meta,
    recipients.length ? el('div', { className: 'recipients', textContent: recipients.map((r) => `${r.role}: ${r.alias ? `${r.alias} <${r.address}>` : r.address}`).join(' · ') }) : null,
    m.subject ? el('div', { className: 'subject', textContent: m.subject }) : null,
    el('div', { className: 'body', textContent: m.masked ? '(hidden: you are not a participant of this thread)' : m.deletedAt ? '(deleted)' : m.body }),
    m.attachments.length ? el('div', { className: 'attachments' }, ...m.attachments.map(attachmentItem)) : null);
  if (onPin && m.direction === 'internal' && !m.masked) {
    const pin = el('button', { type: 'button', className: 'link', textContent: m.pinnedAt ? 'Unpin' : 'Pin', dataset: { testid: 'pin' } });
    pin.onclick = () => onPin(m);
    meta.append(pin);
  }
  return item;
}
