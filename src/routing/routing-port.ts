// The port through which conversations, inboxes and users hand work to assignment. Owned here, so that the
// core depends on assignment's promise and not the other way round.
import type { ConversationDto, QueueDto } from '../contract/dto.ts';

/** What conversation changes ask of assignment; src/routing/routing.ts implements it. */
export interface Routing {
  /** Queues an unassigned open or pending conversation of an auto-assigning inbox and offers it; answers it if assigned. */
  route(tenantId: string, conversationId: string): Promise<ConversationDto | null>;
  /** Offers a conversation that entered its inbox's waiting queue at `queuedAt` (its creation); answers it if assigned. */
  offer(tenantId: string, conversationId: string, inboxId: string, queuedAt: Date): Promise<ConversationDto | null>;
  reopened(tenantId: string, conversationId: string): Promise<void>;
  capacityFreed(tenantId: string, userId: string): Promise<void>;
  drainInbox(tenantId: string, inboxId: string): Promise<unknown>;
  releaseWork(tenantId: string, userId: string, inboxId: string | null, byUserId: string | null, reason: string): Promise<void>;
  /** The tenant's live queue (GET /v1/queue, queue:updated). */
  queue(tenantId: string): Promise<QueueDto>;
}
