// Channel handles in one canonical form, so that one person's address always finds the same contact: e-mail
// addresses trimmed and lower-cased, phone numbers in E.164 (libphonenumber-js; a number it cannot read keeps
// its digits and a leading +), other handles trimmed.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Channel } from '../../contract/dto.ts';

export type HandleKind = 'email' | 'phone' | 'other';

const PHONE_CHANNELS = new Set<Channel>(['sms', 'whatsapp', 'phone']);

export function handleKind(channel: Channel): HandleKind {
  if (channel === 'email') return 'email';
  return PHONE_CHANNELS.has(channel) ? 'phone' : 'other';
}

export const normalizeEmail = (address: string): string => address.trim().toLowerCase();

export function normalizePhone(number: string): string {
  const compact = number.trim().replace(/^00/, '+').replace(/[^\d+]/g, '');
  const parsed = parsePhoneNumberFromString(compact);
  return parsed?.isValid() ? parsed.number : compact;
}

export function normalizeHandle(channel: Channel, handle: string): string {
  switch (handleKind(channel)) {
    case 'email': return normalizeEmail(handle);
    case 'phone': return normalizePhone(handle);
    default: return handle.trim();
  }
}
