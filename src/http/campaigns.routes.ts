// Campaigns: supervisors and admins start them and follow their progress.
import type { FastifyInstance } from 'fastify';
import {
  campaignRecipients, createCampaign, createCampaignSchema, getCampaign, listCampaigns, recipientsQuerySchema,
} from '../features/campaigns/campaigns.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { campaignRecipientSchema, campaignSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });

export function campaignRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/campaigns', doc({
    tags: ['campaigns'], summary: 'Send a templated message to contacts (each in their own thread); progress is followed as statuses come', access: 'supervisor+',
    body: createCampaignSchema, response: { 201: z.object({ campaign: campaignSchema }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const campaign = await createCampaign(em, principal, createCampaignSchema.parse(request.body));
    // Start now rather than at the next sweep; failures are logged by the sender and retried by the sweep.
    deps.campaigns.drain().catch((err: unknown) => request.log.error({ err }, 'campaign sender failed'));
    return reply.status(201).send({ campaign });
  });

  app.get('/v1/campaigns', doc({ tags: ['campaigns'], summary: 'The tenant\'s campaigns', access: 'supervisor+', response: { 200: z.object({ campaigns: z.array(campaignSchema) }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { campaigns: await listCampaigns(em) };
  });

  app.get('/v1/campaigns/:id', doc({ tags: ['campaigns'], summary: 'One campaign with its progress', access: 'supervisor+', params: idParams, response: { 200: z.object({ campaign: campaignSchema }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { campaign: await getCampaign(em, idParam(request, 'campaign')) };
  });

  app.get('/v1/campaigns/:id/recipients', doc({
    tags: ['campaigns'], summary: 'A campaign\'s recipients and their statuses', access: 'supervisor+', params: idParams, querystring: recipientsQuerySchema,
    response: { 200: z.object({ recipients: z.array(campaignRecipientSchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    const id = idParam(request, 'campaign');
    return { recipients: await campaignRecipients(em, id, recipientsQuerySchema.parse(request.query)) };
  });
}
