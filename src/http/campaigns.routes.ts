// Campaigns: supervisors and admins start them and follow their progress.
import type { FastifyInstance } from 'fastify';
import {
  campaignRecipients, createCampaign, createCampaignSchema, getCampaign, listCampaigns, recipientsQuerySchema,
} from '../campaigns/campaigns.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function campaignRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/campaigns', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const campaign = await createCampaign(em, principal, createCampaignSchema.parse(request.body));
    // Start now rather than at the next sweep; failures are logged by the sender and retried by the sweep.
    deps.campaigns.drain().catch((err: unknown) => request.log.error({ err }, 'campaign sender failed'));
    return reply.status(201).send({ campaign });
  });

  app.get('/v1/campaigns', async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { campaigns: await listCampaigns(em) };
  });

  app.get('/v1/campaigns/:id', async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { campaign: await getCampaign(em, idParam(request, 'campaign')) };
  });

  app.get('/v1/campaigns/:id/recipients', async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    const id = idParam(request, 'campaign');
    return { recipients: await campaignRecipients(em, id, recipientsQuerySchema.parse(request.query)) };
  });
}
