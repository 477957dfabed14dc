// Teams of agents: named groups a conversation can be given to (round robin then picks among the members).
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Team, TeamMember, User } from '../../../entities/index.ts';
import type { TeamDto } from '../../contract/dto.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { nameSchema } from '../../platform/text/display-name.ts';

const memberIds = z.array(z.uuid()).max(1000).refine((ids) => new Set(ids).size === ids.length, 'memberIds must not repeat an id');

export const createTeamSchema = z.object({
  name: nameSchema(100),
  description: z.string().trim().max(500).nullish(),
  memberIds: memberIds.optional(),
}).strict();

export const updateTeamSchema = z.object({
  name: nameSchema(100).optional(),
  description: z.string().trim().max(500).nullish(),
}).strict();

export const setTeamMembersSchema = z.object({ memberIds }).strict();

const duplicateName = (err: unknown): never => {
  if (isUniqueViolation(err)) throw AppError.conflict('name: a team with that name exists');
  throw err;
};

function toTeamDto(team: Team, members: string[]): TeamDto {
  return { id: team.id, name: team.name, description: team.description ?? null, memberIds: members, createdAt: team.createdAt.toISOString() };
}

async function membersOf(em: EntityManager, teamIds: string[]): Promise<Map<string, string[]>> {
  const rows = teamIds.length ? await em.find(TeamMember, { team: { $in: teamIds } }, { orderBy: { createdAt: 'asc', id: 'asc' } }) : [];
  const byTeam = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  for (const row of rows) byTeam.get(row.team)!.push(row.user);
  return byTeam;
}

const withMembers = async (em: EntityManager, team: Team): Promise<TeamDto> => toTeamDto(team, (await membersOf(em, [team.id])).get(team.id)!);

/** People only (bots take no conversations from round robin), of this tenant. */
async function assertMembers(em: EntityManager, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await em.find(User, { id: { $in: ids } }, { fields: ['id', 'role'] });
  if (found.length !== ids.length) throw AppError.notFound('user');
  if (found.some((u) => u.role === 'bot')) throw AppError.validation('memberIds: bots are not team members');
}

async function lockedTeam(em: EntityManager, id: string): Promise<Team> {
  const team = await em.findOne(Team, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!team) throw AppError.notFound('team');
  return team;
}

export async function createTeam(em: EntityManager, principal: Principal, input: z.infer<typeof createTeamSchema>): Promise<TeamDto> {
  return em.transactional(async (tx) => {
    const ids = input.memberIds ?? [];
    await assertMembers(tx, ids);
    const team = tx.create(Team, { tenant: principal.tenantId, name: input.name, description: input.description ?? null });
    for (const user of ids) tx.create(TeamMember, { tenant: principal.tenantId, team: team.id, user });
    await tx.flush().catch(duplicateName);
    return toTeamDto(team, ids);
  });
}

export async function listTeams(em: EntityManager): Promise<TeamDto[]> {
  const teams = await em.find(Team, {}, { orderBy: { name: 'asc', id: 'asc' } });
  const members = await membersOf(em, teams.map((t) => t.id));
  return teams.map((t) => toTeamDto(t, members.get(t.id)!));
}

export async function getTeam(em: EntityManager, id: string): Promise<TeamDto> {
  const team = await em.findOne(Team, { id });
  if (!team) throw AppError.notFound('team');
  return withMembers(em, team);
}

export async function updateTeam(em: EntityManager, id: string, input: z.infer<typeof updateTeamSchema>): Promise<TeamDto> {
  return em.transactional(async (tx) => {
    const team = await lockedTeam(tx, id);
    if (input.name !== undefined) team.name = input.name;
    if (input.description !== undefined) team.description = input.description;
    await tx.flush().catch(duplicateName);
    return withMembers(tx, team);
  });
}

/** Replaces the members; conversations already assigned stay with their assignee. */
export async function setTeamMembers(em: EntityManager, principal: Principal, id: string, ids: string[]): Promise<TeamDto> {
  return em.transactional(async (tx) => {
    const team = await lockedTeam(tx, id);
    await assertMembers(tx, ids);
    const current = await tx.find(TeamMember, { team: id });
    const wanted = new Set(ids);
    current.filter((m) => !wanted.has(m.user)).forEach((m) => tx.remove(m));
    const have = new Set(current.map((m) => m.user));
    for (const user of ids) if (!have.has(user)) tx.create(TeamMember, { tenant: principal.tenantId, team: id, user });
    await tx.flush();
    return withMembers(tx, team);
  });
}

/** Its conversations keep their assignee and lose the team. */
export async function deleteTeam(em: EntityManager, id: string): Promise<void> {
  const team = await em.findOne(Team, { id });
  if (!team) throw AppError.notFound('team');
  em.remove(team);
  await em.flush();
}
