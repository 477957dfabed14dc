// Where presence lives: per user, across all their sockets (and nodes, with Redis). Changes are reported
// once, by whichever call caused them, so that each transition is announced exactly once.
import type { PresenceStatus } from '../../contract/dto.ts';
import type { PresenceReader } from './presence-reader.ts';

export interface PresenceChange {
  tenantId: string;
  userId: string;
  status: PresenceStatus;
}

export interface PresenceStore extends PresenceReader {
  connect(tenantId: string, userId: string, socketId: string): Promise<PresenceChange | null>;
  disconnect(tenantId: string, userId: string, socketId: string): Promise<PresenceChange | null>;
  /** What a connected user asked to be shown as; ignored (answers null) when they have no socket. */
  choose(tenantId: string, userId: string, status: PresenceStatus): Promise<PresenceChange | null>;
  /** Keeps this node's sockets alive and fades out users whose sockets expired (a crashed node's). */
  sweep(): Promise<PresenceChange[]>;
  close(): Promise<void>;
}

/** The one rule: offline without a socket, else what the user chose, else online. */
export function effectiveStatus(connected: boolean, chosen: PresenceStatus | null | undefined): PresenceStatus {
  if (!connected) return 'offline';
  return chosen ?? 'online';
}
