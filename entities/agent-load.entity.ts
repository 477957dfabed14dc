// Each agent's open conversations per inbox, kept by triggers on conversations, so that round robin, the live
// queue and the reopen check read an agent's load from a row per inbox instead of counting their conversations.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef } from './common.ts';
import { Inbox } from './inbox.entity.ts';
import { User } from './user.entity.ts';

/** The statuses that count towards an agent's load (open work). */
export const LOAD_STATUSES = `('new', 'open', 'pending')`;

export const AgentLoadSchema = defineEntity({
  name: 'AgentLoad',
  tableName: 'agent_loads',
  properties: {
    user: () => p.manyToOne(User).mapToPk().primary().deleteRule('cascade'),
    inbox: () => p.manyToOne(Inbox).mapToPk().primary().deleteRule('cascade'),
    tenant: tenantRef(),
    /** Open (new, open or pending) conversations of the inbox assigned to the user. */
    openCount: p.integer().default(0),
  },
  ...tenantScoped,
});
export class AgentLoad extends AgentLoadSchema.class {}
AgentLoadSchema.setClass(AgentLoad);

const FN = '"conversations_agent_load_fn"';
const counted = (row: 'old' | 'new') => `${row}.assignee_id is not null and ${row}.status in ${LOAD_STATUSES}`;

/**
 * The counting triggers on conversations. Row triggers, so that the WHEN conditions keep every write that does
 * not move a count (a send's roll-up, an SLA stamp) from calling any function; an UPDATE trigger only fires when
 * the statement sets the assignee, the status or the inbox at all. Written as whole DDL like the outbox triggers:
 * the first also (re)creates the function the three share.
 */
export const agentLoadTriggers = [
  {
    name: 'conversations_agent_load_insert', events: ['insert' as const],
    expression: `create or replace function ${FN}() returns trigger as $$ begin
      if tg_op <> 'INSERT' and ${counted('old')} then
        update agent_loads set open_count = open_count - 1 where user_id = old.assignee_id and inbox_id = old.inbox_id;
      end if;
      if tg_op <> 'DELETE' and ${counted('new')} then
        insert into agent_loads (user_id, inbox_id, tenant_id, open_count) values (new.assignee_id, new.inbox_id, new.tenant_id, 1)
          on conflict (user_id, inbox_id) do update set open_count = agent_loads.open_count + 1;
      end if;
      return null; end; $$ language plpgsql;
    create trigger "conversations_agent_load_insert" after insert on "conversations" for each row
      when (${counted('new')}) execute function ${FN}();`,
  },
  {
    name: 'conversations_agent_load_update', events: ['update' as const],
    expression: `create trigger "conversations_agent_load_update" after update of assignee_id, status, inbox_id on "conversations" for each row
      when (old.assignee_id is distinct from new.assignee_id or old.inbox_id is distinct from new.inbox_id
        or (old.status in ${LOAD_STATUSES}) is distinct from (new.status in ${LOAD_STATUSES})) execute function ${FN}();`,
  },
  {
    name: 'conversations_agent_load_delete', events: ['delete' as const],
    expression: `create trigger "conversations_agent_load_delete" after delete on "conversations" for each row
      when (${counted('old')}) execute function ${FN}();`,
  },
].map((t) => ({ ...t, timing: 'after' as const, forEach: 'row' as const }));
