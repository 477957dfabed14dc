// The zod schemas of the wire shapes (src/contract/schemas.ts, which the OpenAPI document and docs/realtime.md
// are made from) and the contract's TypeScript interfaces (src/contract/dto.ts, which clients import) must
// agree: the type-level checks below fail `npm run typecheck`, and the runtime checks parse real answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { z } from 'zod';
import type * as Dto from '../../src/contract/dto.ts';
import type { ErrorBody } from '../../src/contract/error-codes.ts';
import { ERROR_STATUS } from '../../src/contract/error-codes.ts';
import * as S from '../../src/contract/schemas.ts';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../src/contract/events.ts';
import { COMMANDS, EVENTS } from '../../realtime/spec.ts';

// The socket events: what a client may send (a schema's input) is the event map's payload, what the ack
// answers is its data, and every server event's payload is its schema's output.
type C2S = ClientToServerEvents;
type S2C = ServerToClientEvents;
type AckData<E extends keyof C2S> = Parameters<Parameters<C2S[E]>[1]>[0] extends Ack<infer R> ? R : never;
type CommandsAgree = { [E in keyof C2S]: [Equal<z.input<(typeof COMMANDS)[E]['payload']>, Parameters<C2S[E]>[0]>, Equal<z.output<(typeof COMMANDS)[E]['ack']>, AckData<E>>] };
type EventsAgree = { [E in keyof S2C]: Equal<z.output<(typeof EVENTS)[E]['payload']>, Parameters<S2C[E]>[0]> };
type AllTrue<T> = T extends true ? true : T extends [true, true] ? true : false;
type Expect<T extends true> = T;
// Each fails to compile when any event's schema and type differ (the conditional distributes over the events).
export type CommandsChecked = Expect<AllTrue<CommandsAgree[keyof C2S]>>;
export type EventsChecked = Expect<AllTrue<EventsAgree[keyof S2C]>>;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Same<Schema extends z.ZodType, T> = Equal<z.output<Schema>, T>;

// Each line fails to compile when a schema and its interface differ in any field, type or optionality.
const agreements: true[] = [
  true as Same<typeof S.tenantSchema, Dto.TenantDto>,
  true as Same<typeof S.transcriptSchema, Dto.TranscriptDto>,
  true as Same<typeof S.auditEntrySchema, Dto.AuditEntryDto>,
  true as Same<typeof S.notificationSchema, Dto.NotificationDto>,
  true as Same<typeof S.mentionSchema, Dto.MentionDto>,
  true as Same<typeof S.searchHitSchema, Dto.SearchHitDto>,
  true as Same<typeof S.userSchema, Dto.UserDto>,
  true as Same<typeof S.inboxSchema, Dto.InboxDto>,
  true as Same<typeof S.slaPolicySchema, Dto.SlaPolicyDto>,
  true as Same<typeof S.contactSchema, Dto.ContactDto>,
  true as Same<typeof S.conversationSchema, Dto.ConversationDto>,
  true as Same<typeof S.attachmentSchema, Dto.AttachmentDto>,
  true as Same<typeof S.recipientSchema, Dto.RecipientDto>,
  true as Same<typeof S.messageSchema, Dto.MessageDto>,
  true as Same<typeof S.assignmentSchema, Dto.AssignmentDto>,
  true as Same<typeof S.tagSchema, Dto.TagDto>,
  true as Same<typeof S.grantSchemaOut, Dto.GrantDto>,
  true as Same<typeof S.cannedResponseSchema, Dto.CannedResponseDto>,
  true as Same<typeof S.automatedReplySchema, Dto.AutomatedReplyDto>,
  true as Same<typeof S.campaignSchema, Dto.CampaignDto>,
  true as Same<typeof S.campaignRecipientSchema, Dto.CampaignRecipientDto>,
  true as Same<typeof S.activitySchema, Dto.ActivityDto>,
  true as Same<typeof S.breachSchema, Dto.BreachDto>,
  true as Same<typeof S.queueSchema, Dto.QueueDto>,
  true as Same<typeof S.errorBodySchema, ErrorBody>,
  true as Same<typeof S.teamSchema, Dto.TeamDto>,
  true as Same<typeof S.attributeDefinitionSchema, Dto.AttributeDefinitionDto>,
  true as Same<typeof S.actionSchema, Dto.ActionDto>,
  true as Same<typeof S.macroSchema, Dto.MacroDto>,
  true as Same<typeof S.actionResultSchema, Dto.ActionResultDto>,
  true as Same<typeof S.conditionSchema, Dto.ConditionDto>,
  true as Same<typeof S.automationRuleSchema, Dto.AutomationRuleDto>,
  true as Same<typeof S.automationRunSchema, Dto.AutomationRunDto>,
  true as Same<typeof S.csatSurveySchema, Dto.CsatSurveyDto>,
];

const contract = suite('contract types');

contract('every interface of the contract has a schema that equals it', () => {
  assert.is(agreements.length, 34);
  assert.ok(agreements.every(Boolean));
});

contract('every socket event has a spec (its schemas are checked against the event map\'s types above)', () => {
  assert.is(Object.keys(COMMANDS).length, 11);
  assert.is(Object.keys(EVENTS).length, 21);
  for (const spec of [...Object.values(COMMANDS), ...Object.values(EVENTS)]) assert.ok(spec.summary.length > 10);
});

contract('the error codes of the schemas are the contract\'s, in order', () => {
  assert.equal(S.errorBodySchema.shape.code.options, Object.keys(ERROR_STATUS));
});

contract.run();
