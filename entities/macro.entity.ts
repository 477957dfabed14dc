// Macros: a named list of actions an agent runs on a conversation with one call. Shared with the tenant or
// owned by one user, like canned responses.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { User } from './user.entity.ts';

export const MacroSchema = defineEntity({
  name: 'Macro',
  tableName: 'macros',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    /** Null: shared with the whole tenant; else only its owner sees and runs it. */
    owner: () => p.manyToOne(User).mapToPk().nullable().deleteRule('cascade'),
    /** The actions, in order (src/features/actions/action.schemas.ts). */
    actions: p.json<Record<string, unknown>[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  ...tenantScoped,
});
export class Macro extends MacroSchema.class {}
MacroSchema.setClass(Macro);
