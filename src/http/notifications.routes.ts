// A person's notifications and mentions: read them, mark them read, choose which kinds they get.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { mentionSchema, notificationSchema } from '../contract/schemas.ts';
import {
  getPreferences, listMentions, listMentionsSchema, listNotifications, listNotificationsSchema, markRead, markReadSchema, preferencesSchema, setPreferences,
} from '../features/notifications/notifications.service.ts';
import { NOTIFICATION_KINDS } from '../../entities/enums.ts';
import { callContext, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

const preferencesAnswer = z.object({ preferences: z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean()]))).strict() }).strict();

export function notificationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/notifications', doc({
    tags: ['notifications'], summary: 'My notifications, newest first (assigned, mention, sla_warning, customer_replied)',
    access: 'agent+', querystring: listNotificationsSchema,
    response: { 200: z.object({ notifications: z.array(notificationSchema), unreadCount: z.number().int(), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em, principal } = await callContext(deps, request, ['agent+']);
    return listNotifications(em, principal, listNotificationsSchema.parse(request.query));
  });

  app.post('/v1/notifications/read', doc({
    tags: ['notifications'], summary: 'Mark notifications read: `{ids}`, or `{all: true, kind?}`', access: 'agent+', body: markReadSchema,
    response: { 200: z.object({ marked: z.number().int(), unreadCount: z.number().int() }).strict() },
  }), async (request) => {
    const { em, principal, clock } = await callContext(deps, request, ['agent+']);
    return markRead(em, principal, markReadSchema.parse(request.body), clock.now());
  });

  app.get('/v1/notifications/preferences', doc({
    tags: ['notifications'], summary: 'Which kinds of notification I get', access: 'agent+', response: { 200: preferencesAnswer },
  }), async (request) => {
    const { em, principal } = await callContext(deps, request, ['agent+']);
    return { preferences: await getPreferences(em, principal) };
  });

  app.patch('/v1/notifications/preferences', doc({
    tags: ['notifications'], summary: 'Turn kinds of notification on (true) or off (false)', access: 'agent+', body: preferencesSchema, response: { 200: preferencesAnswer },
  }), async (request) => {
    const { em, principal } = await callContext(deps, request, ['agent+']);
    return { preferences: await setPreferences(em, principal, preferencesSchema.parse(request.body)) };
  });

  app.get('/v1/mentions', doc({
    tags: ['notifications'], summary: 'Notes that mention me (@name), newest first, with the unread count', access: 'agent+', querystring: listMentionsSchema,
    response: { 200: z.object({ mentions: z.array(mentionSchema), unreadCount: z.number().int(), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em, principal } = await callContext(deps, request, ['agent+']);
    return listMentions(em, principal, listMentionsSchema.parse(request.query));
  });
}
