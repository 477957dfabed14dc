// Conversation rows to the wire shape of PROTOCOL §6.
import { tagList } from '../platform/text/tags.ts';
import type { Conversation } from '../../entities/index.ts';
import type { ConversationDto } from '../contract/dto.ts';
import { fromJson, fromRow } from '../platform/db/rows.ts';
import { isoOrNull as iso } from '../platform/util/iso.ts';

/** A raw `conversations` row (snake_case, from SQL) in the entity's shape, without hydrating an entity. */
export function conversationFromRow(row: Record<string, unknown>): Conversation {
  return fromRow<Conversation>(row);
}

export function toConversationDto(c: Conversation): ConversationDto {
  return {
    id: c.id,
    inboxId: c.inbox,
    channel: c.channel,
    visibility: c.visibility,
    masked: false,
    subject: c.subject ?? null,
    status: c.status,
    priority: c.priority,
    requiredSkills: tagList(c.requiredSkills),
    language: c.language ?? null,
    assigneeId: c.assignee ?? null,
    teamId: c.team ?? null,
    customAttributes: fromJson<Record<string, unknown>>(c.customAttributes ?? {}) ?? {},
    muted: c.muted ?? false,
    contactId: c.contact ?? null,
    entityType: c.entityType ?? null,
    entityId: c.entityId ?? null,
    companyId: c.companyId ?? null,
    channelType: c.channelType,
    metadata: c.metadata == null ? null : fromJson<Record<string, unknown>>(c.metadata),
    source: c.sourceChannel && c.sourceHandle ? { channel: c.sourceChannel, handle: c.sourceHandle } : null,
    lastMessageAt: iso(c.lastMessageAt),
    lastMessagePreview: c.lastMessagePreview ?? null,
    lastDirection: c.lastDirection ?? null,
    messageCount: c.messageCount,
    lastInboundAt: iso(c.lastInboundAt),
    lastReplyAt: iso(c.lastReplyAt),
    firstResponseAt: iso(c.firstResponseAt),
    resolvedAt: iso(c.resolvedAt),
    snoozedUntil: iso(c.snoozedUntil),
    sla: {
      policyId: c.slaPolicy ?? null,
      firstResponseDueAt: iso(c.firstResponseDueAt),
      nextResponseDueAt: iso(c.nextResponseDueAt),
      resolutionDueAt: iso(c.resolutionDueAt),
      firstResponseBreachedAt: iso(c.firstResponseBreachedAt),
      nextResponseBreachedAt: iso(c.nextResponseBreachedAt),
      resolutionBreachedAt: iso(c.resolutionBreachedAt),
    },
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
    archivedAt: iso(c.archivedAt),
  };
}
