// Runs the tenant's automation rules for an event: the active rules of the event whose conditions hold, each
// claimed once per event in the execution log (a unique key per rule and event, so two nodes or a repeated
// event run it once), its actions done as the person the rule acts as. The loop guard: while a rule's actions
// run on a conversation, the events they cause do not trigger that rule on it again.
import type { EntityManager } from '@mikro-orm/core';
import { AutomationRule, AutomationRun, User } from '../../../entities/index.ts';
import { tagsOf } from '../../core/tags/tags.service.ts';
import type { AutomationEvent, ConditionDto, ConversationDto, MessageDto } from '../../contract/dto.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Clock } from '../../platform/clock.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { isUniqueViolation } from '../../platform/errors.ts';
import { fromJson } from '../../platform/db/rows.ts';
import { isOpenAt } from '../../../sla/business-hours.ts';
import { runActions, type ActionServices } from '../actions/run-actions.ts';
import { policyHours } from './automated-replies.service.ts';
import { conditionsHold, needsBusinessHours, needsTags } from './rule-conditions.ts';
import { toRuleDto } from './rules.service.ts';

/** One event as the rules see it. */
export interface RuleTrigger {
  tenantId: string;
  event: AutomationEvent;
  /** The same for the same event wherever it is seen (its type and what it is about). */
  key: string;
  conversation: ConversationDto;
  message: MessageDto | null;
  /** When the event happened: a rule saved after it does not run for it (its reaction may come later). */
  at: string;
}

/**
 * How long a node trusts its copy of a tenant's rules. A change is told to every node (`automation.changed`,
 * relayed through the adapter), so this only bounds a copy that missed the word (Redis away meanwhile).
 */
const RULES_TTL_MS = 30_000;

export class RuleRunner {
  readonly #emFor: (tenantId: string) => EntityManager;
  readonly #services: ActionServices;
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #running = new Set<string>();
  readonly #cache = new Map<string, { at: number; rules: AutomationRule[] }>();
  /** Per tenant, how many changes this node was told of: a read that a change overtook is not kept. */
  readonly #changes = new Map<string, number>();

  constructor(emFor: (tenantId: string) => EntityManager, services: ActionServices, bus: EventBus, clock: Clock) {
    this.#emFor = emFor;
    this.#services = services;
    this.#bus = bus;
    this.#clock = clock;
  }

  /** A rule changed on this node: read the tenant's rules afresh at the next event. */
  forget(tenantId: string): void {
    this.#cache.delete(tenantId);
    this.#changes.set(tenantId, (this.#changes.get(tenantId) ?? 0) + 1);
  }

  /** Whether the tenant has an active rule for this event (so an event that must be read first need not be). */
  async follows(tenantId: string, event: AutomationEvent): Promise<boolean> {
    return (await this.#rulesOf(tenantId)).some((r) => r.event === event);
  }

  /** Call it as the event is published: the rules whose actions are under way then are left out (the loop guard). */
  async run(trigger: RuleTrigger): Promise<void> {
    const busy = new Set([...this.#running]);
    const happened = new Date(trigger.at).getTime();
    const rules = (await this.#rulesOf(trigger.tenantId)).filter((r) => r.event === trigger.event && new Date(r.createdAt).getTime() <= happened);
    for (const rule of rules) {
      const guard = `${rule.id}:${trigger.conversation.id}`;
      if (busy.has(guard) || this.#running.has(guard)) continue;
      const conditions = fromJson<ConditionDto[]>(rule.conditions);
      if (!conditionsHold(conditions, await this.#facts(trigger, conditions))) continue;
      this.#running.add(guard);
      try {
        await this.#execute(rule, trigger);
      } finally {
        this.#running.delete(guard);
      }
    }
  }

  async #rulesOf(tenantId: string): Promise<AutomationRule[]> {
    const cached = this.#cache.get(tenantId);
    if (cached && Date.now() - cached.at < RULES_TTL_MS) return cached.rules;
    const changes = this.#changes.get(tenantId) ?? 0;
    const rules = await this.#emFor(tenantId).find(AutomationRule, { active: true }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    // Told of a change while reading: the read may predate it, so it serves this event but is not kept for the next.
    if ((this.#changes.get(tenantId) ?? 0) === changes) this.#cache.set(tenantId, { at: Date.now(), rules });
    return rules;
  }

  async #facts(trigger: RuleTrigger, conditions: ConditionDto[]) {
    const em = this.#emFor(trigger.tenantId);
    const tags = needsTags(conditions) ? (await tagsOf(em, trigger.conversation.id)).map((t) => t.name) : [];
    const hours = needsBusinessHours(conditions) ? await policyHours(em, trigger.conversation.sla.policyId) : null;
    return { conversation: trigger.conversation, message: trigger.message, tags, withinBusinessHours: hours ? isOpenAt(this.#clock.now(), hours) : true };
  }

  /** Claims the run (once per rule and event), does the actions as the rule's person, and logs the outcome. */
  async #execute(rule: AutomationRule, trigger: RuleTrigger): Promise<void> {
    const em = this.#emFor(trigger.tenantId);
    const run = em.create(AutomationRun, {
      tenant: trigger.tenantId, rule: rule.id, eventKey: trigger.key, conversationId: trigger.conversation.id,
      outcome: 'running', details: null, ranAt: this.#clock.now(),
    });
    try {
      await em.flush();
    } catch (err) {
      if (isUniqueViolation(err)) return; // another node (or an earlier delivery of the event) ran it
      throw err;
    }
    const principal = await this.#actor(em, rule, trigger.tenantId);
    const dto = toRuleDto(rule);
    const results = principal
      ? await runActions(this.#services, {
        ctx: { em: this.#emFor(trigger.tenantId), principal, bus: this.#bus, clock: this.#clock }, conversationId: trigger.conversation.id,
        messageKey: `rule:${run.id}`, automation: { ruleId: rule.id, event: trigger.event },
      }, dto.actions)
      : dto.actions.map((a) => ({ type: a.type, ok: false, error: 'FORBIDDEN: the person this rule acts as is no longer an active supervisor or admin' }));
    run.outcome = results.every((r) => r.ok) ? 'done' : 'failed';
    run.details = results.map((r) => ({ ...r }));
    await em.flush();
  }

  async #actor(em: EntityManager, rule: AutomationRule, tenantId: string): Promise<Principal | null> {
    const user = rule.actsAs ? await em.findOne(User, { id: rule.actsAs }) : null;
    if (!user || !user.active || (user.role !== 'admin' && user.role !== 'supervisor')) return null;
    return { kind: 'user', tenantId, userId: user.id, role: user.role, name: user.name };
  }
}
