// Campaign templates: `{{contact.name}}`-style placeholders filled from each recipient's contact.
import type { Contact } from '../../../entities/index.ts';

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
const FIELDS: Record<string, (c: Contact) => string | null | undefined> = {
  'contact.name': (c) => c.name,
  'contact.email': (c) => c.email,
  'contact.phone': (c) => c.phone,
  'contact.companyId': (c) => c.companyId,
};

/** Placeholders the template uses that no contact field answers. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !(name in FIELDS));
}

/** A missing value renders as an empty string. */
export function render(template: string, contact: Contact): string {
  return template.replace(PLACEHOLDER, (_, name: string) => FIELDS[name]?.(contact) ?? '');
}
