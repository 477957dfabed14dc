// SLA policies: create (admin) and list.
import type { FastifyInstance } from 'fastify';
import { createPolicySchema } from '../../sla/policy.ts';
import { createPolicy, listPolicies, toPolicyDto } from '../features/sla-policies/sla-policies.service.ts';
import { callContext, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { slaPolicySchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

export function slaPolicyRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/sla-policies', doc({
    tags: ['sla'], summary: 'Create an SLA policy (minutes accept fractions; business hours optional; at most one default)', access: 'admin',
    body: createPolicySchema, response: { 201: z.object({ policy: slaPolicySchema }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const policy = await createPolicy(em, principal, createPolicySchema.parse(request.body));
    return reply.status(201).send({ policy: toPolicyDto(policy) });
  });

  app.get('/v1/sla-policies', doc({
    tags: ['sla'], summary: 'The tenant\'s SLA policies', access: 'agent+', response: { 200: z.object({ policies: z.array(slaPolicySchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return { policies: (await listPolicies(em)).map(toPolicyDto) };
  });
}
