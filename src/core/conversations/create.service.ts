// Creating conversations (POST /v1/conversations). Creations of one tenant that arrive while its previous batch
// is being written go together in the next one: one transaction reads their inboxes and contacts and writes
// every conversation and timeline entry in one statement each. After the commit each is announced and, in an
// auto-assigning inbox, offered to round robin (creations of one inbox share the drain that assigns them).
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { EntityManager } from '@mikro-orm/core';
import type { Principal } from '../../platform/auth/principal.ts';
import type { ConversationDto } from '../../contract/dto.ts';
import type { TenantTransactions, Tx } from '../../platform/db/tenant-transaction.ts';
import { AppError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { isoOrNull } from '../../platform/util/iso.ts';
import { KeyedBatcher } from '../../platform/util/keyed-batcher.ts';
import { tagList } from '../../platform/text/tags.ts';
import { cachedPolicy } from '../../../sla/clocks.ts';
import { atCreation } from '../../../sla/evaluate.ts';
import { conversationFromRow, toConversationDto } from '../../model/conversation.mapper.ts';
import type { CreateConversationInput } from './conversations.schemas.ts';
import type { Routing } from '../../routing/routing-port.ts';
import { CREATION_CONTEXT, INSERT_CONVERSATIONS, type ActivePolicy, type InboxForCreation, type NewConversationRow } from './create-statement.ts';
import { choosePolicy } from '../../../sla/policy-choice.ts';
import { Team } from '../../../entities/index.ts';
import { changedAttributes } from '../attributes/attributes.service.ts';

/** Creations written in one statement at most. */
const MAX_BATCH = 200;

interface CreationJob {
  em: EntityManager;
  principal: Principal;
  input: CreateConversationInput;
}

interface Created {
  conversation: ConversationDto;
  /** Entered the waiting queue of its auto-assigning inbox. */
  waiting: boolean;
}

export class ConversationCreator {
  readonly #bus: EventBus;
  readonly #routing: Routing;
  readonly #transactions: TenantTransactions;
  readonly #batches = new KeyedBatcher<CreationJob, Created>(MAX_BATCH, (_tenant, jobs) => this.#createBatch(jobs));

  readonly #clock: Clock;

  constructor(bus: EventBus, routing: Routing, transactions: TenantTransactions, clock: Clock = systemClock) {
    this.#bus = bus;
    this.#routing = routing;
    this.#transactions = transactions;
    this.#clock = clock;
  }

  /** Commits the conversation, announces it, and answers it as routing left it. */
  async create(em: EntityManager, principal: Principal, input: CreateConversationInput): Promise<ConversationDto> {
    await checkExtras(em, input);
    const { conversation, waiting } = await this.#batches.push(principal.tenantId, { em, principal, input });
    this.#bus.publish({ type: 'conversation.updated', tenantId: principal.tenantId, conversation, created: true });
    if (!waiting) return conversation;
    return (await this.#routing.offer(principal.tenantId, conversation.id, conversation.inboxId, new Date(conversation.createdAt))) ?? conversation;
  }

  /** The batch in one transaction; if it fails as a whole (a contact deleted meanwhile), each is tried alone for its own answer. */
  async #createBatch(jobs: CreationJob[]): Promise<PromiseSettledResult<Created>[]> {
    if (jobs.length === 1) return this.#commit(jobs);
    try {
      return await this.#commit(jobs);
    } catch {
      const outcomes: PromiseSettledResult<Created>[] = [];
      for (const job of jobs) outcomes.push((await this.#commit([job]).catch((reason: unknown) => [{ status: 'rejected' as const, reason }]))[0]);
      return outcomes;
    }
  }

  /** Refusals (an unknown inbox or contact) are per creation; the rest are written together. */
  #commit(jobs: CreationJob[]): Promise<PromiseSettledResult<Created>[]> {
    const { tenantId } = jobs[0].principal;
    const now = this.#clock.now();
    return this.#transactions(tenantId, async (tx) => {
      const context = await readContext(tx, tenantId, jobs);
      const prepared = jobs.map((job) => rowFor(job, context, now));
      const rows = prepared.filter((r): r is NewConversationRow => !(r instanceof AppError));
      const written = rows.length ? await tx.runLast<Record<string, unknown>>(INSERT_CONVERSATIONS, { tenant_id: tenantId, now, rows: JSON.stringify(rows) }) : [];
      const byId = new Map(written.map((r) => [r.id as string, toConversationDto(conversationFromRow(r))]));
      return prepared.map((r): PromiseSettledResult<Created> => (r instanceof AppError
        ? { status: 'rejected', reason: r }
        : { status: 'fulfilled', value: { conversation: byId.get(r.id)!, waiting: r.waiting } }));
    });
  }
}

/** What only some creations carry is checked before the batch (the common creation reads nothing more): its
 * custom attributes against the tenant's definitions (normalized in place), and its team. */
async function checkExtras(em: EntityManager, input: CreateConversationInput): Promise<void> {
  if (input.customAttributes) input.customAttributes = await changedAttributes(em, 'conversation', {}, input.customAttributes) as typeof input.customAttributes;
  if (input.teamId && !(await em.count(Team, { id: input.teamId }))) throw AppError.notFound('team');
}

interface CreationContext {
  inboxes: Map<string, InboxForCreation>;
  /** The tenant's active policies, oldest first. */
  policies: ActivePolicy[];
  /** The contacts named, with their company and custom attributes. */
  contacts: Map<string, { companyId: string | null; attributes: Record<string, unknown> }>;
}

async function readContext(tx: Tx, tenantId: string, jobs: CreationJob[]): Promise<CreationContext> {
  const inboxIds = [...new Set(jobs.map((j) => j.input.inboxId))];
  const contactIds = [...new Set(jobs.flatMap((j) => (j.input.contactId ? [j.input.contactId] : [])))];
  const [row] = await tx.run<{ inboxes: InboxForCreation[]; policies: ActivePolicy[]; contacts: { id: string; company_id: string | null; custom_attributes: Record<string, unknown> | null }[] }>(CREATION_CONTEXT, {
    tenant_id: tenantId, inbox_ids: JSON.stringify(inboxIds), contact_ids: JSON.stringify(contactIds),
  });
  return { inboxes: new Map(row.inboxes.map((i) => [i.id, i])), policies: row.policies, contacts: new Map(row.contacts.map((c) => [c.id, { companyId: c.company_id, attributes: c.custom_attributes ?? {} }])) };
}

/** The row a creation writes, with its SLA clocks started; or why it is refused. */
function rowFor(job: CreationJob, context: CreationContext, now: Date): NewConversationRow | AppError {
  const { input, principal } = job;
  const inbox = context.inboxes.get(input.inboxId);
  if (!inbox) return AppError.notFound('inbox');
  if (input.contactId && !context.contacts.has(input.contactId)) return AppError.notFound('contact');
  const requiredSkills = input.requiredSkills ?? tagList(inbox.default_skills);
  const priority = input.priority ?? 'normal';
  const contact = input.contactId ? context.contacts.get(input.contactId) : undefined;
  const attributes = input.customAttributes ?? {};
  const policy = choosePolicy(context.policies, inbox.sla_policy_id, {
    inboxId: inbox.id, channel: inbox.channel, priority, tags: requiredSkills, attributes: { ...contact?.attributes, ...attributes },
  });
  const clocks = policy ? atCreation(cachedPolicy(policy), now) : null;
  return {
    id: crypto.randomUUID(),
    inbox_id: inbox.id,
    channel: inbox.channel,
    visibility: inbox.visibility,
    contact_id: input.contactId ?? null,
    entity_type: input.entityType ?? null,
    entity_id: input.entityId ?? null,
    company_id: input.companyId === undefined ? contact?.companyId ?? null : input.companyId,
    subject: input.subject ?? null,
    channel_type: input.channelType ?? 'direct',
    metadata: input.metadata ?? null,
    priority,
    required_skills: requiredSkills,
    language: input.language === undefined ? inbox.default_language ?? null : input.language,
    sla_policy_id: policy?.id ?? null,
    resolution_due_at: isoOrNull(clocks?.resolutionDueAt),
    resolution_warn_at: isoOrNull(clocks?.resolutionWarnAt),
    sla_next_check_at: isoOrNull(clocks?.slaNextCheckAt),
    waiting: inbox.auto_assign,
    actor_id: principal.userId,
    custom_attributes: attributes,
    team_id: input.teamId ?? null,
  };
}
