// SLA policies: response and resolution targets, optionally counted in business hours.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';

export interface BusinessHoursColumn {
  timezone: string;
  weekly: Record<string, [string, string][]>;
  holidays?: string[];
}

export const SlaPolicySchema = defineEntity({
  name: 'SlaPolicy',
  tableName: 'sla_policies',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    description: p.text().nullable(),
    /** An inactive policy is not given to new conversations (those that have it keep their clocks). */
    isActive: p.boolean().default(true),
    /** Which new conversations it applies to when their inbox names no policy (sla/policy-choice.ts). */
    conditions: p.json<Record<string, string[]>>().nullable(),
    firstResponseMinutes: p.double(),
    nextResponseMinutes: p.double().nullable(),
    resolutionMinutes: p.double(),
    warnAtPercent: p.integer().default(80),
    businessHours: p.json<BusinessHoursColumn>().nullable(),
    isDefault: p.boolean().default(false),
    createdAt: createdAt(),
  },
  // At most one default policy per tenant.
  uniques: [{ name: 'sla_policies_one_default_per_tenant', properties: ['tenant'], where: 'is_default' }],
  // Minutes are checked positive by the API schema (sla/policy.ts).
  checks: [
    { name: 'sla_policies_warn_check', expression: 'warn_at_percent >= 1 and warn_at_percent <= 99' },
  ],
  ...tenantScoped,
});
export class SlaPolicy extends SlaPolicySchema.class {}
SlaPolicySchema.setClass(SlaPolicy);
