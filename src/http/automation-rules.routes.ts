// Automation rules (supervisors and admins) and their execution log.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createRule, createRuleSchema, deleteRule, getRule, listRules, listRuns, listRunsSchema, updateRule, updateRuleSchema,
} from '../features/automation/rules.service.ts';
import { automationRuleSchema, automationRunSchema } from '../contract/schemas.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const answer = z.object({ rule: automationRuleSchema }).strict();

export function automationRuleRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/automation-rules', doc({
    tags: ['automation'], summary: 'Create a rule: on an event, when every condition holds, do the actions (as the caller)',
    description: 'Events: conversation.created, message.created, conversation.updated, sla.warning, sla.breach. A rule runs once per event across nodes; its own actions never trigger it again.',
    access: 'supervisor+', body: createRuleSchema, response: { 201: answer },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const rule = await createRule(em, principal, createRuleSchema.parse(request.body));
    deps.bus.publish({ type: 'automation.changed', tenantId: principal.tenantId });
    return reply.status(201).send({ rule });
  });

  app.get('/v1/automation-rules', doc({ tags: ['automation'], summary: 'Every rule, oldest first (the order they run in)', access: 'supervisor+', response: { 200: z.object({ rules: z.array(automationRuleSchema) }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { rules: await listRules(em) };
  });

  app.get('/v1/automation-rules/:id', doc({ tags: ['automation'], summary: 'One rule', access: 'supervisor+', params: idParams, response: { 200: answer } }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { rule: await getRule(em, idParam(request, 'automation rule')) };
  });

  app.patch('/v1/automation-rules/:id', doc({
    tags: ['automation'], summary: 'Change a rule (it then acts as the caller)', access: 'supervisor+', params: idParams, body: updateRuleSchema, response: { 200: answer },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const rule = await updateRule(em, principal, idParam(request, 'automation rule'), updateRuleSchema.parse(request.body));
    deps.bus.publish({ type: 'automation.changed', tenantId: principal.tenantId });
    return { rule };
  });

  app.delete('/v1/automation-rules/:id', doc({ tags: ['automation'], summary: 'Delete a rule and its log', access: 'supervisor+', params: idParams, response: { 204: null } }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    await deleteRule(em, idParam(request, 'automation rule'));
    deps.bus.publish({ type: 'automation.changed', tenantId: principal.tenantId });
    return reply.status(204).send();
  });

  app.get('/v1/automation-rules/:id/runs', doc({
    tags: ['automation'], summary: 'The rule\'s executions, newest first: the event, the conversation, each action\'s outcome', access: 'supervisor+', params: idParams,
    querystring: listRunsSchema, response: { 200: z.object({ runs: z.array(automationRunSchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return listRuns(em, idParam(request, 'automation rule'), listRunsSchema.parse(request.query));
  });
}
