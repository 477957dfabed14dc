// Teams: supervisors and admins make them and set their members; everyone reads them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createTeam, createTeamSchema, deleteTeam, getTeam, listTeams, setTeamMembers, setTeamMembersSchema, updateTeam, updateTeamSchema,
} from '../core/teams/teams.service.ts';
import { teamSchema } from '../contract/schemas.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const answer = z.object({ team: teamSchema }).strict();

export function teamRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/teams', doc({ tags: ['teams'], summary: 'Create a team', access: 'supervisor+', body: createTeamSchema, response: { 201: answer } }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    return reply.status(201).send({ team: await createTeam(em, principal, createTeamSchema.parse(request.body)) });
  });

  app.get('/v1/teams', doc({ tags: ['teams'], summary: 'Every team, by name', access: 'agent+, bot', response: { 200: z.object({ teams: z.array(teamSchema) }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { teams: await listTeams(em) };
  });

  app.get('/v1/teams/:id', doc({ tags: ['teams'], summary: 'One team', access: 'agent+, bot', params: idParams, response: { 200: answer } }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { team: await getTeam(em, idParam(request, 'team')) };
  });

  app.patch('/v1/teams/:id', doc({ tags: ['teams'], summary: 'Rename or describe a team', access: 'supervisor+', params: idParams, body: updateTeamSchema, response: { 200: answer } }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { team: await updateTeam(em, idParam(request, 'team'), updateTeamSchema.parse(request.body)) };
  });

  app.put('/v1/teams/:id/members', doc({
    tags: ['teams'], summary: 'Replace the members (people only)', access: 'supervisor+', params: idParams, body: setTeamMembersSchema, response: { 200: answer },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    return { team: await setTeamMembers(em, principal, idParam(request, 'team'), setTeamMembersSchema.parse(request.body).memberIds) };
  });

  app.delete('/v1/teams/:id', doc({
    tags: ['teams'], summary: 'Delete a team (its conversations keep their assignee and lose the team)', access: 'supervisor+', params: idParams, response: { 204: null },
  }), async (request, reply) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    await deleteTeam(em, idParam(request, 'team'));
    return reply.status(204).send();
  });
}
