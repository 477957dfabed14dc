// A transcript as a readable plain-text document: a header about the conversation, then each message with
// its time, sender and kind, attachments as links. Pure: the caller has already shown it as its reader may see it.
import type { MessageDto } from '../../contract/dto.ts';
import type { Transcript } from './transcript.service.ts';

const stamp = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function sender(t: Transcript, m: MessageDto): string {
  if (m.authorId) return t.authors[m.authorId] ?? 'Unknown user';
  if (m.senderType === 'contact') return t.contact?.name ?? m.source?.handle ?? 'Customer';
  return m.senderType === 'system' ? 'Automated reply' : m.senderType;
}

function kind(m: MessageDto): string {
  if (m.whisperToId) return ' (whisper)';
  return m.direction === 'internal' ? ' (internal note)' : '';
}

function customer(t: Transcript): string {
  const handle = t.contact?.email ?? t.contact?.phone ?? t.conversation.source?.handle ?? t.contact?.identities[0]?.handle ?? null;
  if (!t.contact) return handle ?? 'unknown';
  return handle ? `${t.contact.name} <${handle}>` : t.contact.name;
}

export function transcriptText(t: Transcript): string {
  const c = t.conversation;
  const header = [
    `Conversation ${c.id}`,
    c.subject ? `Subject: ${c.subject}` : null,
    `Customer: ${customer(t)}`,
    `Channel: ${c.channel}`,
    `Status: ${c.status}`,
    `Started: ${stamp(c.createdAt)}`,
    `Messages: ${t.messages.length}${t.notesIncluded ? ' (internal notes included)' : ''}`,
    `Generated: ${stamp(t.generatedAt)}`,
  ].filter((line): line is string => line !== null);
  const body = t.messages.map((m) => {
    const lines = [`[${stamp(m.sentAt)}] ${sender(t, m)}${kind(m)}:`];
    if (m.subject) lines.push(`Subject: ${m.subject}`);
    lines.push(m.masked ? '(hidden)' : m.deletedAt ? '(deleted)' : m.body);
    for (const a of m.attachments) lines.push(`Attachment: ${a.filename ?? a.type} ${a.url}`);
    return lines.join('\n');
  });
  return `${header.join('\n')}\n\n${body.join('\n\n')}\n`;
}
