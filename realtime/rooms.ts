// Every room name, in one place.
export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  user: (userId: string) => `user:${userId}`,
  supervisors: (tenantId: string) => `supervisors:${tenantId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  /** Sockets that joined a masked thread without being its participants: they hear its masked form. */
  conversationMasked: (conversationId: string) => `conversation:${conversationId}:masked`,
  /** Admins see every thread in full. */
  admins: (tenantId: string) => `admins:${tenantId}`,
  /** Sockets of the inbox's member agents: they see its conversations in their lists. */
  inbox: (inboxId: string) => `inbox:${inboxId}`,
  /** Sockets that asked to watch every conversation list of the tenant (`conversations:watch`). */
  list: (tenantId: string) => `list:${tenantId}`,
  /** Bot sockets of a tenant, so internal notes can skip them. */
  bots: (tenantId: string) => `bots:${tenantId}`,
};
