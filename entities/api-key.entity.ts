// Bot API keys: only a SHA-256 hash of the key is kept.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { User } from './user.entity.ts';

export const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    user: () => p.manyToOne(User).mapToPk().deleteRule('cascade'),
    keyHash: p.string().length(64).unique(),
    /** First characters of the key, to tell keys apart in lists. */
    prefix: p.string().length(16),
    createdAt: createdAt(),
    revokedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'api_keys_user_index', properties: ['user'] }],
  ...tenantScoped,
});
export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
