// What a send is before it is written: its fields, how a person's or bot's message is made from their
// principal, and the checks that need no database (size, emptiness).
import type { AttachmentDto, Direction, IdentityDto, MessageType, SenderType } from '../../contract/dto.ts';
import type { Principal, Role } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors.ts';
import { recipientList, type RecipientInput } from './recipients.ts';

export interface NewMessage {
  tenantId: string;
  conversationId: string;
  direction: Direction;
  senderType: SenderType;
  authorId: string | null;
  contactId: string | null;
  /** The identity an inbound message came from. */
  source?: IdentityDto | null;
  subject?: string | null;
  type?: MessageType;
  /** A free object for the channel or the integration, kept and answered as given. */
  metadata?: Record<string, unknown> | null;
  body: string;
  /** HTML as given; its sanitized form is stored next to it. */
  htmlBody?: string | null;
  clientMessageId: string | null;
  externalId: string | null;
  sentAt?: Date;
  attachments?: (Partial<AttachmentDto> & { url: string })[];
  recipients?: RecipientInput[];
  /** The canned response the text came from: its usage is counted with the send. */
  cannedResponseId?: string | null;
  /** A whisper: an internal note for this person only (and supervisors, admins and its author). */
  whisperToId?: string | null;
  /** The role of the person or bot writing: into a masked thread only those who may read it write. */
  writerRole?: Role;
  /** The connection it was sent on (see the message.created event). */
  origin?: string;
}

/** A message a person or a bot writes (socket or HTTP): the sender comes from the principal, never the payload. */
export function messageFrom(
  principal: Principal, conversationId: string,
  input: {
    clientMessageId: string; body: string; htmlBody?: string; direction?: 'outbound' | 'internal'; attachments?: NewMessage['attachments'];
    subject?: string | null; type?: MessageType; metadata?: Record<string, unknown> | null;
    recipients?: Parameters<typeof recipientList>[0]; cannedResponseId?: string | null; whisperTo?: string | null;
  },
): NewMessage {
  return {
    tenantId: principal.tenantId, conversationId, direction: input.direction ?? 'outbound',
    senderType: principal.kind === 'bot' ? 'bot' : 'user', authorId: principal.userId, contactId: null,
    body: input.body, htmlBody: input.htmlBody ?? null, clientMessageId: input.clientMessageId, externalId: null, attachments: input.attachments,
    recipients: input.recipients ? recipientList(input.recipients) : undefined, cannedResponseId: input.cannedResponseId ?? null,
    whisperToId: input.whisperTo ?? null, writerRole: principal.role,
    subject: input.subject ?? null, type: input.type, metadata: input.metadata ?? null,
  };
}

export interface SendLimits {
  maxMessageBytes: number;
}

export function validateMessage(input: NewMessage, limits: SendLimits): void {
  if (Buffer.byteLength(input.body, 'utf8') > limits.maxMessageBytes) {
    throw AppError.payloadTooLarge(`body: at most ${limits.maxMessageBytes} bytes`);
  }
  if (input.htmlBody != null && Buffer.byteLength(input.htmlBody, 'utf8') > limits.maxMessageBytes) {
    throw AppError.payloadTooLarge(`htmlBody: at most ${limits.maxMessageBytes} bytes`);
  }
  if (!input.body.trim() && !input.htmlBody?.trim() && !(input.attachments?.length)) throw AppError.validation('body: empty message');
}
