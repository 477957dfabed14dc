// The audit log, for admins: newest first, filtered by action, actor or target, paged by cursor.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditEntrySchema } from '../contract/schemas.ts';
import { listAudit, listAuditSchema } from '../features/audit/audit.service.ts';
import { callContext, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

export function auditRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/audit', doc({
    tags: ['operations'], summary: 'The audit log: who changed settings, users, roles, keys, inboxes, policies and webhooks, and deleted what',
    description: 'Append-only: entries are never changed or removed. Newest first; `nextCursor` pages on.',
    access: 'admin', querystring: listAuditSchema,
    response: { 200: z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return listAudit(em, listAuditSchema.parse(request.query));
  });
}
