// Who an internal note mentions: `@` followed by a person's name (any case), ending at a space, punctuation or
// the end. Longer names are tried first, so "@Ann Lee" is Ann Lee and not Ann. Pure.
export interface Mentionable { id: string; name: string }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function mentionedIn(body: string, people: Mentionable[]): string[] {
  if (!body.includes('@')) return [];
  const found = new Set<string>();
  let text = body;
  for (const person of [...people].sort((a, b) => b.name.length - a.name.length)) {
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}_])@${escape(person.name)}(?![\\p{L}\\p{N}_])`, 'giu');
    if (!pattern.test(text)) continue;
    found.add(person.id);
    // A shorter name inside this one's mention does not count again.
    text = text.replace(pattern, '$1');
  }
  return [...found];
}
