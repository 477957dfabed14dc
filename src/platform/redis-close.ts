// Closing an ioredis connection without hanging: QUIT only when connected (a queued QUIT on a
// connection that never comes up would wait forever), else drop it.
import type { Redis } from 'ioredis';

export async function closeRedis(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
