// Teams of agents: a conversation given to a team goes, by round robin, only to its members.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { User } from './user.entity.ts';

export const TeamSchema = defineEntity({
  name: 'Team',
  tableName: 'teams',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(100),
    description: p.string().length(500).nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'teams_tenant_name_unique', properties: ['tenant', 'name'] }],
  ...tenantScoped,
});
export class Team extends TeamSchema.class {}
TeamSchema.setClass(Team);

export const TeamMemberSchema = defineEntity({
  name: 'TeamMember',
  tableName: 'team_members',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    team: () => p.manyToOne(Team).mapToPk().deleteRule('cascade'),
    user: () => p.manyToOne(User).mapToPk().deleteRule('cascade'),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'team_members_team_user_unique', properties: ['team', 'user'] }],
  indexes: [{ name: 'team_members_user_index', properties: ['user'] }],
  ...tenantScoped,
});
export class TeamMember extends TeamMemberSchema.class {}
TeamMemberSchema.setClass(TeamMember);
