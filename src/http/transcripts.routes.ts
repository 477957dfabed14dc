// Transcripts: a conversation as JSON or as a readable text document, and sent to the tenant's webhooks on request.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { transcriptSchema } from '../contract/schemas.ts';
import { presentPayload } from '../core/visibility/present.ts';
import { buildTranscript, queueTranscriptDeliveries } from '../features/transcripts/transcript.service.ts';
import { transcriptText } from '../features/transcripts/transcript-text.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const booleanFlag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');
const transcriptQuery = z.object({ notes: booleanFlag.describe('Include internal notes (never for bots)') }).strict();
const sendBody = z.object({ notes: z.boolean().default(false) }).strict();

export function transcriptRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/conversations/:id/transcript', doc({
    tags: ['conversations'], summary: 'The conversation as a transcript: every message in seq order, attachments as links',
    access: 'agent+, bot', params: idParams, querystring: transcriptQuery, response: { 200: z.object({ transcript: transcriptSchema }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    const { notes } = transcriptQuery.parse(request.query);
    return { transcript: await buildTranscript(ctx, idParam(request, 'conversation'), { notes }) };
  });

  app.get('/v1/conversations/:id/transcript.txt', doc({
    tags: ['conversations'], summary: 'The transcript as a readable plain-text document (text/plain)',
    access: 'agent+, bot', params: idParams, querystring: transcriptQuery, response: { 200: z.string() },
  }), async (request, reply) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    const { notes } = transcriptQuery.parse(request.query);
    const id = idParam(request, 'conversation');
    // Text is not an object the answer's presentation step walks: shown as this reader may see it here.
    const transcript = await presentPayload(ctx.em, ctx.principal, await buildTranscript(ctx, id, { notes }));
    return reply.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="conversation-${id}.txt"`).send(transcriptText(transcript));
  });

  app.post('/v1/conversations/:id/transcript/send', doc({
    tags: ['conversations'], summary: 'Send the transcript to the tenant\'s webhooks that subscribe to conversation.transcript',
    description: 'Queued in the outbox like every webhook event (202); the transcript is as the caller may read it.',
    access: 'agent+', params: idParams, body: sendBody, response: { 202: z.object({ queued: z.number().int() }).strict() },
  }), async (request, reply) => {
    const ctx = await callContext(deps, request, ['agent+']);
    const { notes } = sendBody.parse(request.body ?? {});
    const transcript = await presentPayload(ctx.em, ctx.principal, await buildTranscript(ctx, idParam(request, 'conversation'), { notes }));
    const queued = await queueTranscriptDeliveries(ctx, transcript);
    deps.webhooks.kick();
    return reply.status(202).send({ queued });
  });
}
