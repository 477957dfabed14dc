// Bot API keys: random, shown once, stored as SHA-256 (the key has enough entropy for a fast hash).
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'sbk_';

export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 12) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}
