// Tags (unique name per tenant) and the tags on each conversation; changes are announced live.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { ConversationTag, Tag } from '../../../entities/index.ts';
import { getConversation } from '../conversations/conversations.service.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { TagDto } from '../../contract/dto.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { CallContext } from '../../platform/call-context.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { nameSchema } from '../../platform/text/display-name.ts';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a hex color like #1f8b4c');
export const createTagSchema = z.object({
  name: nameSchema(100),
  color: color.nullish(),
  description: z.string().trim().max(500).nullish(),
}).strict();
export const updateTagSchema = createTagSchema.partial().strict();
export const tagRefSchema = z.object({ tagId: z.uuid() }).strict();

export function toTagDto(t: Tag): TagDto {
  return { id: t.id, name: t.name, color: t.color ?? null, description: t.description ?? null, createdAt: new Date(t.createdAt).toISOString() };
}

const nameTaken = (err: unknown): never => {
  if (isUniqueViolation(err)) throw AppError.conflict('name: a tag with this name exists');
  throw err;
};

export async function createTag(em: EntityManager, principal: Principal, input: z.infer<typeof createTagSchema>): Promise<TagDto> {
  const tag = em.create(Tag, { tenant: principal.tenantId, name: input.name, color: input.color ?? null, description: input.description ?? null });
  await em.flush().catch(nameTaken);
  return toTagDto(tag);
}

export async function listTags(em: EntityManager): Promise<TagDto[]> {
  return (await em.find(Tag, {}, { orderBy: { name: 'asc' } })).map(toTagDto);
}

async function findTag(em: EntityManager, id: string): Promise<Tag> {
  const tag = await em.findOne(Tag, { id });
  if (!tag) throw AppError.notFound('tag');
  return tag;
}

export async function updateTag(em: EntityManager, id: string, input: z.infer<typeof updateTagSchema>): Promise<TagDto> {
  const tag = await findTag(em, id);
  if (input.name !== undefined) tag.name = input.name;
  if (input.color !== undefined) tag.color = input.color;
  if (input.description !== undefined) tag.description = input.description;
  await em.flush().catch(nameTaken);
  return toTagDto(tag);
}

export async function deleteTag({ em, bus, principal }: CallContext, id: string): Promise<void> {
  const tag = await findTag(em, id);
  const tagged = await em.find(ConversationTag, { tag: id }, { fields: ['conversation'] });
  em.remove(tag);
  await em.flush();
  for (const link of tagged) await announce(em, bus, principal.tenantId, link.conversation);
}

export async function tagsOf(em: EntityManager, conversationId: string): Promise<TagDto[]> {
  const links = await em.find(ConversationTag, { conversation: conversationId }, { fields: ['tag'] });
  if (!links.length) return [];
  return (await em.find(Tag, { id: { $in: links.map((l) => l.tag) } }, { orderBy: { name: 'asc' } })).map(toTagDto);
}

async function announce(em: EntityManager, bus: EventBus, tenantId: string, conversationId: string): Promise<TagDto[]> {
  const tags = await tagsOf(em, conversationId);
  bus.publish({ type: 'conversation.tagged', tenantId, conversationId, tags });
  return tags;
}

/** Tags the conversation; tagging twice changes nothing and announces nothing. */
export async function tagConversation({ em, bus, principal }: CallContext, conversationId: string, tagId: string): Promise<TagDto[]> {
  await getConversation(em, conversationId);
  await findTag(em, tagId);
  if (await em.count(ConversationTag, { conversation: conversationId, tag: tagId })) return tagsOf(em, conversationId);
  em.create(ConversationTag, { tenant: principal.tenantId, conversation: conversationId, tag: tagId });
  try {
    await em.flush();
  } catch (err) {
    // The same tag added at once by two requests: one row stands.
    if (!isUniqueViolation(err)) throw err;
    em.clear();
    return tagsOf(em, conversationId);
  }
  return announce(em, bus, principal.tenantId, conversationId);
}

export async function untagConversation({ em, bus, principal }: CallContext, conversationId: string, tagId: string): Promise<TagDto[]> {
  await getConversation(em, conversationId);
  const removed = await em.nativeDelete(ConversationTag, { conversation: conversationId, tag: tagId });
  return removed ? announce(em, bus, principal.tenantId, conversationId) : tagsOf(em, conversationId);
}
