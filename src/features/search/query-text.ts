// What a person typed, as a tsquery: its words (letters and digits; anything else separates them), each a
// prefix (as-you-type), all required. Pure; at most eight words, so a pasted paragraph stays one cheap query.
const MAX_WORDS = 8;

export function toPrefixQuery(typed: string): string | null {
  const words = typed.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_WORDS) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/** A highlighted snippet as segments (never HTML): `\u0001` and `\u0002` mark where matches start and end. */
export function snippetSegments(headline: string): { text: string; match: boolean }[] {
  const segments: { text: string; match: boolean }[] = [];
  for (const [i, part] of headline.split(/\u0001|\u0002/).entries()) {
    if (part) segments.push({ text: part, match: i % 2 === 1 });
  }
  return segments;
}
