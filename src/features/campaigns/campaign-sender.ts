// Sends campaigns' pending recipients, on any node: a recipient is claimed by one node at a time (SKIP
// LOCKED, with a claim that expires if that node dies), and the send is idempotent per conversation
// (clientMessageId `campaign:<id>`), so a retried claim never sends twice to one thread.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { Campaign, Contact, Inbox, type CampaignRecipient } from '../../../entities/index.ts';
import { threadFor } from '../../core/conversations/threads.ts';
import { fromRow } from '../../platform/db/rows.ts';
import { sql } from '../../platform/db/sql.ts';
import { RunAgain } from '../../platform/util/run-again.ts';
import { systemEm, tenantEm } from '../../platform/db/tenant-scope.ts';
import { AppError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import type { MessageSender } from '../../core/messages/send.service.ts';
import { render } from './template.ts';

const BATCH = 50;
const CLAIM_SECONDS = 60;

const CLAIM = `
  update campaign_recipients set claimed_at = now()
  where id in (
    select id from campaign_recipients
    where status = 'pending' and (claimed_at is null or claimed_at < now() - make_interval(secs => ?))
    order by claimed_at nulls first limit ? for update skip locked)
  returning *`;

export class CampaignSender {
  #orm: MikroORM;
  #bus: EventBus;
  #messages: MessageSender;
  #logger: Logger;
  /** One sweep at a time; a call during one makes it look once more. */
  readonly #sweeps = new RunAgain<'campaigns'>(async () => { while (await this.#batch()) { /* next batch */ } });

  constructor(orm: MikroORM, bus: EventBus, messages: MessageSender, logger: Logger) {
    this.#orm = orm;
    this.#bus = bus;
    this.#messages = messages;
    this.#logger = logger;
  }

  /** Sends until nothing is pending; a call while running makes it look once more. */
  drain(): Promise<void> {
    return this.#sweeps.request('campaigns');
  }

  async #batch(): Promise<boolean> {
    const claimed = (await sql<Record<string, unknown>>(systemEm(this.#orm), CLAIM, [CLAIM_SECONDS, BATCH]))
      .map((row) => fromRow<CampaignRecipient>(row));
    for (const recipient of claimed) await this.#send(recipient);
    const campaignIds = [...new Set(claimed.map((r) => r.campaign))];
    if (campaignIds.length) {
      await sql(systemEm(this.#orm), `update campaigns c set status = 'done', completed_at = now()
        where c.status = 'sending' and c.id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
          and not exists (select 1 from campaign_recipients r where r.campaign_id = c.id and r.status = 'pending')`,
      [JSON.stringify(campaignIds)]);
    }
    return claimed.length === BATCH;
  }

  async #send(recipient: CampaignRecipient): Promise<void> {
    const em = tenantEm(this.#orm, recipient.tenant);
    try {
      const campaign = await em.findOneOrFail(Campaign, { id: recipient.campaign });
      const [inbox, contact] = await Promise.all([
        em.findOneOrFail(Inbox, { id: campaign.inbox }), em.findOneOrFail(Contact, { id: recipient.contact }),
      ]);
      const { conversationId } = await threadFor(em, this.#bus, inbox, contact.id, undefined);
      const { message } = await this.#messages.send(em, {
        tenantId: recipient.tenant, conversationId, direction: 'outbound', senderType: 'system', authorId: null, contactId: null,
        body: render(campaign.template, contact), clientMessageId: `campaign:${campaign.id}`, externalId: null,
      });
      await sql(em, `update campaign_recipients set status = ?, conversation_id = ?, message_id = ?, sent_at = ?, updated_at = now()
        where id = ? and status = 'pending'`, [message.status, conversationId, message.id, new Date(message.createdAt), recipient.id]);
    } catch (err) {
      // A refusal (a too-long body, a closed thread) fails the recipient; anything else is retried when the claim expires.
      if (!(err instanceof AppError)) {
        this.#logger.error({ err, tenantId: recipient.tenant, campaignId: recipient.campaign }, 'campaign send failed; will retry');
        return;
      }
      await sql(em, `update campaign_recipients set status = 'failed', error = ?, updated_at = now() where id = ? and status = 'pending'`,
        [err.message, recipient.id]);
    }
  }
}
