// Search: GET /v1/search over messages, conversations and contacts, as the caller may read them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { searchHitSchema } from '../contract/schemas.ts';
import { search, searchSchema } from '../features/search/search.service.ts';
import { systemEm } from '../platform/db/tenant-scope.ts';
import { callContext, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

export function searchRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/search', doc({
    tags: ['search'], summary: 'Full-text search: messages (stemmed), conversations (subject, tags) and contacts (name, e-mail, phone, handles)',
    description: 'Every word is a prefix; ranked; snippets as segments. Masked threads match only for those who may read them. '
      + 'Filters (inboxId, status, assigneeId, channel, since, until, tag) apply to messages and conversations (contacts are left out when one is given).',
    access: 'agent+', querystring: searchSchema,
    response: { 200: z.object({ hits: z.array(searchHitSchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em, principal } = await callContext(deps, request, ['agent+']);
    return search(em, systemEm(deps.orm), principal, searchSchema.parse(request.query));
  });
}
