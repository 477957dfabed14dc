// Automation rules (event → conditions → actions) and their execution log. A run is unique per rule and event,
// so an event seen twice (two nodes, a retried tick) runs a rule once.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef, createdAt, updatedAt, uuidKey } from './common.ts';
import { AUTOMATION_EVENTS, AUTOMATION_RUN_OUTCOMES } from './enums.ts';
import { User } from './user.entity.ts';

export const AutomationRuleSchema = defineEntity({
  name: 'AutomationRule',
  tableName: 'automation_rules',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    event: p.enum(AUTOMATION_EVENTS),
    /** All must hold (src/features/automation/rule-conditions.ts). */
    conditions: p.json<Record<string, unknown>[]>(),
    actions: p.json<Record<string, unknown>[]>(),
    active: p.boolean().default(true),
    /** Who the actions are done as: the supervisor or admin who last saved the rule (their role's limits apply). */
    actsAs: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'automation_rules_tenant_event_index', properties: ['tenant', 'event'], where: 'active' }],
  ...tenantScoped,
});
export class AutomationRule extends AutomationRuleSchema.class {}
AutomationRuleSchema.setClass(AutomationRule);

export const AutomationRunSchema = defineEntity({
  name: 'AutomationRun',
  tableName: 'automation_runs',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    rule: () => p.manyToOne(AutomationRule).mapToPk().deleteRule('cascade'),
    /** The event, named so that the same event always has the same key (type, conversation, what it is about). */
    eventKey: p.string().length(300),
    conversationId: p.uuid().nullable(),
    outcome: p.enum(AUTOMATION_RUN_OUTCOMES),
    /** What each action did, or why it failed. */
    details: p.json<Record<string, unknown>[]>().nullable(),
    ranAt: p.datetime(),
  },
  uniques: [{ name: 'automation_runs_rule_event_unique', properties: ['rule', 'eventKey'] }],
  indexes: [{ name: 'automation_runs_tenant_time_index', expression: 'create index "automation_runs_tenant_time_index" on "automation_runs" ("tenant_id", "ran_at" desc, "id" desc)' }],
  ...tenantScoped,
});
export class AutomationRun extends AutomationRunSchema.class {}
AutomationRunSchema.setClass(AutomationRun);
