// What the rest of the domain needs to know about presence: a user's current status.
import type { PresenceStatus } from '../../contract/dto.ts';

export interface PresenceReader {
  statusOf(tenantId: string, userIds: string[]): Promise<Map<string, PresenceStatus>>;
}
