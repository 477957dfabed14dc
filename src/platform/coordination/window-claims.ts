// Work that one node of the cluster does per window for everyone (the live queue's recomputation): a node
// claims the window for a key, and the others, finding it claimed, leave the work to that node.
import type { Redis } from 'ioredis';

export interface WindowClaims {
  /** True when this node holds the window for `key` for the next `ms` (nobody else held it). */
  claim(key: string, ms: number): Promise<boolean>;
}

/** One node alone: every window is its own (its callers already share a window among their own events). */
export const ownWindows: WindowClaims = { claim: async () => true };

/**
 * Windows shared through Redis (`SET NX PX`). When Redis does not answer, the node takes the window itself:
 * the work is then done twice rather than not at all.
 */
export function redisWindows(redis: Redis): WindowClaims {
  return {
    async claim(key, ms) {
      try {
        return (await redis.set(`sb:window:${key}`, '1', 'PX', ms, 'NX')) === 'OK';
      } catch {
        return true;
      }
    },
  };
}
