// Keyword matching, shared by automated replies and routing rules.

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A keyword matches as a whole word or phrase, ignoring case. */
export function mentions(body: string, keyword: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escape(keyword.trim())}($|[^\\p{L}\\p{N}])`, 'iu').test(body);
}
