// The bootstrap admin key, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Hashing first gives equal-length buffers, so the comparison leaks neither content nor length. */
export function adminKeyMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
