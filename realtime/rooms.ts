// Every room name, in one place.
export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  user: (userId: string) => `user:${userId}`,
  supervisors: (tenantId: string) => `supervisors:${tenantId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  /** Bot sockets of a tenant, so internal notes can skip them. */
  bots: (tenantId: string) => `bots:${tenantId}`,
};
