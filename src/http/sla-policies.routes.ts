// SLA policies: create (admin) and list.
import type { FastifyInstance } from 'fastify';
import { createPolicySchema } from '../../sla/policy.ts';
import { createPolicy, listPolicies, toPolicyDto } from '../sla-policies/sla-policies.service.ts';
import { callContext, type HttpDeps } from './context.ts';

export function slaPolicyRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/sla-policies', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const policy = await createPolicy(em, principal, createPolicySchema.parse(request.body));
    return reply.status(201).send({ policy: toPolicyDto(policy) });
  });

  app.get('/v1/sla-policies', async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return { policies: (await listPolicies(em)).map(toPolicyDto) };
  });
}
