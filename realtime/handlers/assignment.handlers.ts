// conversation:assign: the same service as POST /v1/conversations/:id/assign.
import { assignConversation } from '../../src/routing/assign.service.ts';
import type { Routing } from '../../src/routing/routing-port.ts';
import { handle, type HandleDeps } from '../handle.ts';
import type { AppSocket } from '../types.ts';

export function registerAssignmentHandlers(deps: HandleDeps & { routing: Routing }, socket: AppSocket): void {
  handle(deps, socket, 'conversation:assign', async (ctx, { conversationId, ...input }) => ({
    conversation: await assignConversation(ctx, deps.routing, conversationId, input),
  }));
}
