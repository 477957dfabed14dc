// Delivers the outbox on every node: claims due deliveries with FOR UPDATE SKIP LOCKED (each claimed by one
// node), never one of a conversation while an earlier one to the same endpoint is still owed, POSTs them
// signed, and records the answer: delivered, a retry later with back-off and jitter, or a dead letter once the
// schedule is spent (the endpoint is disabled after too many in a row). A node that dies while sending leaves
// a claim that expires, and another node sends again with the same webhook-id.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { WebhookEventType } from '../../../entities/webhook-outbox.ts';
import { sql } from '../../platform/db/sql.ts';
import { statement } from '../../platform/db/statement.ts';
import type { SingleStatement } from '../../platform/db/tenant-transaction.ts';
import { RunAgain } from '../../platform/util/run-again.ts';
import { tenantEm } from '../../platform/db/tenant-scope.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { buildPayload } from './payload.ts';
import { signedHeaders } from './signing.ts';
import { fetch, type Agent } from 'undici';
import { guardedAgent, REFUSED_PRIVATE, RefusedAddressError, refusedUrl, type AddressPolicy } from './address-guard.ts';

export interface DispatchOptions {
  /** Waits between attempts, in seconds; after the last one a failure is final. */
  retrySchedule: number[];
  timeoutMs: number;
  /** Dead letters in a row that disable an endpoint. */
  disableAfter: number;
  /** Which addresses deliveries may connect to (public ones only, by default). */
  addressPolicy: AddressPolicy;
}

/** About a day in all: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each ±20 %). */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

interface Claimed {
  id: string;
  tenant_id: string;
  webhook_id: string;
  event_id: string;
  event_type: WebhookEventType;
  subject_id: string;
  attempts: number;
  payload: string | null;
  created_at: Date | string;
  url: string;
  secret: string;
}

/** Deliveries claimed at once, and requests out at once, per node. */
const BATCH = 50;
const MAX_IN_FLIGHT = 200;
/** Kicks within this window share one run: a busy node claims a few times a second, not once per change. */
const KICK_WINDOW_MS = 50;

// Due: pending and its time has come, or sending with an expired claim, to an active endpoint (a disabled one's
// wait until it is enabled again). Not while an earlier delivery of the
// same conversation to the same endpoint is pending or sending (dead letters do not hold the line).
// One statement, so it runs on its own (no transaction around it), named so that PostgreSQL plans it once per
// connection: planning it cost more than running it, every poll of every node.
const CLAIM = statement('switchboard_webhook_claim_v1', `
  with next as (
    select d.id from webhook_deliveries d
    where ((d.status = 'pending' and d.next_attempt_at <= now()) or (d.status = 'sending' and d.locked_until < now()))
      and exists (select 1 from webhooks a where a.id = d.webhook_id and a.active)
      and not exists (
        select 1 from webhook_deliveries p
        where p.webhook_id = d.webhook_id and p.ordering_key = d.ordering_key and p.status in ('pending', 'sending')
          and (p.created_at, p.id) < (d.created_at, d.id))
    order by d.created_at, d.id
    limit :limit
    for update skip locked)
  update webhook_deliveries d set status = 'sending', locked_until = now() + make_interval(secs => :claim_seconds), attempts = d.attempts + 1, last_attempt_at = now()
  from next, webhooks w
  where d.id = next.id and w.id = d.webhook_id
  returning d.id, d.tenant_id, d.webhook_id, d.event_id, d.event_type, d.subject_id, d.attempts, d.payload, d.created_at, w.url, w.secret`);

export class WebhookDispatcher {
  readonly #orm: MikroORM;
  readonly #single: SingleStatement;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #options: DispatchOptions;
  /** One claiming run at a time; a call during one makes it go round once more. */
  readonly #runs = new RunAgain<'due'>(() => this.#claimWhileRoom());
  #stopped = false;
  #kickTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #agent: Agent;

  constructor(orm: MikroORM, single: SingleStatement, bus: EventBus, logger: Logger, options: DispatchOptions) {
    this.#orm = orm;
    this.#single = single;
    this.#bus = bus;
    this.#logger = logger;
    this.#options = options;
    this.#agent = guardedAgent(options.addressPolicy);
  }

  /**
   * Claims what is due and starts sending it, while fewer than MAX_IN_FLIGHT requests are out; a call during a
   * run makes the run go round once more. Requests are not awaited together: an endpoint that does not answer
   * holds up only its own deliveries (and later ones of the same conversation), not the next claims.
   */
  run(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return this.#runs.request('due');
  }

  async #claimWhileRoom(): Promise<void> {
    try {
      while (!this.#stopped) {
        if (this.#inFlight.size >= MAX_IN_FLIGHT) {
          await Promise.race(this.#inFlight);
          continue;
        }
        const claimed = await this.#claim(Math.min(BATCH, MAX_IN_FLIGHT - this.#inFlight.size));
        if (claimed.length === 0) break;
        for (const d of claimed) this.#track(d);
      }
    } catch (err) {
      this.#logger.error({ err }, 'webhook dispatch failed');
    }
  }

  #track(d: Claimed): void {
    const sending: Promise<void> = this.#deliver(d)
      .catch((err: unknown) => { this.#logger.error({ err, deliveryId: d.id }, 'webhook delivery failed'); })
      .finally(() => {
        this.#inFlight.delete(sending);
        // The next delivery of this conversation to this endpoint may be due now.
        void this.run();
      });
    this.#inFlight.add(sending);
  }

  /** Something may have written deliveries: run soon. */
  kick(): void {
    if (this.#kickTimer || this.#stopped) return;
    this.#kickTimer = setTimeout(() => {
      this.#kickTimer = null;
      void this.run();
    }, KICK_WINDOW_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#kickTimer) clearTimeout(this.#kickTimer);
    await this.#runs.idle();
    await Promise.all(this.#inFlight);
    await this.#agent.close();
  }

  #claim(limit: number): Promise<Claimed[]> {
    // A claim outlives the request's timeout by a margin: only a dead sender's claim expires.
    const claimSeconds = Math.ceil(this.#options.timeoutMs / 1000) + 5;
    return this.#single<Claimed>(CLAIM, { limit, claim_seconds: claimSeconds });
  }

  async #deliver(d: Claimed): Promise<void> {
    const em = tenantEm(this.#orm, d.tenant_id);
    let body = d.payload;
    if (body === null) {
      body = await buildPayload(em, d.event_type, d.subject_id, new Date(d.created_at));
      if (body === null) {
        await sql(em, `update webhook_deliveries set status = 'failed', locked_until = null, last_error = 'the subject no longer exists' where id = ?`, [d.id]);
        return;
      }
      await sql(em, 'update webhook_deliveries set payload = ? where id = ?', [body, d.id]);
    }
    const { status, error } = await this.#post(d, body);
    if (!error) {
      await sql(em, `update webhook_deliveries set status = 'delivered', delivered_at = now(), locked_until = null, last_status = ?, last_error = null where id = ?`, [status, d.id]);
      await sql(em, 'update webhooks set consecutive_failures = 0 where id = ? and consecutive_failures > 0', [d.webhook_id]);
      return;
    }
    const wait = this.#options.retrySchedule[d.attempts - 1];
    if (wait !== undefined) {
      const jittered = wait * (0.8 + Math.random() * 0.4);
      await sql(em, `update webhook_deliveries set status = 'pending', locked_until = null, last_status = ?, last_error = ?,
        next_attempt_at = now() + make_interval(secs => ?) where id = ?`, [status, error, jittered, d.id]);
      return;
    }
    await this.#deadLetter(d, status, error);
  }

  /** One POST; an address the policy refuses is never connected to (no probing of internal ports). */
  async #post(d: Claimed, body: string): Promise<{ status: number | null; error: string | null }> {
    const refused = refusedUrl(d.url, this.#options.addressPolicy);
    if (refused) return { status: null, error: refused };
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Switchboard-Webhooks/1', ...signedHeaders(d.secret, d.event_id, body) },
        body,
        // A redirect is an answer, not an instruction: following it could send the event somewhere unchecked.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        dispatcher: this.#agent,
      });
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status, error: res.status < 200 || res.status >= 300 ? `HTTP ${res.status}` : null };
    } catch (err) {
      const e = err as Error & { cause?: unknown };
      if (e.cause instanceof RefusedAddressError) return { status: null, error: REFUSED_PRIVATE };
      return { status: null, error: e.name === 'TimeoutError' ? `no answer within ${this.#options.timeoutMs} ms` : String(e.message ?? err).slice(0, 500) };
    }
  }

  async #deadLetter(d: Claimed, status: number | null, error: string): Promise<void> {
    const em = tenantEm(this.#orm, d.tenant_id);
    await sql(em, `update webhook_deliveries set status = 'failed', locked_until = null, last_status = ?, last_error = ? where id = ?`, [status, error, d.id]);
    const [webhook] = await sql<{ id: string; url: string; disabled: boolean }>(em, `
      update webhooks set consecutive_failures = consecutive_failures + 1,
        active = case when consecutive_failures + 1 >= ? then false else active end,
        disabled_at = case when consecutive_failures + 1 >= ? and active then now() else disabled_at end
      where id = ? returning id, url, (not active and disabled_at = now()) as disabled`, [this.#options.disableAfter, this.#options.disableAfter, d.webhook_id]);
    if (webhook?.disabled) {
      this.#logger.warn({ tenantId: d.tenant_id, webhookId: d.webhook_id }, 'webhook endpoint disabled after repeated failures');
      this.#bus.publish({ type: 'webhook.disabled', tenantId: d.tenant_id, webhookId: d.webhook_id, url: webhook.url });
    }
  }
}
