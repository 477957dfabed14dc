// Handshake authentication: a JWT or bot key in `auth.token` (never the query string) sets the principal;
// a user already holding the most sockets this node allows one user is refused (RATE_LIMITED).
import type { Authenticator } from '../src/platform/auth/authenticate.ts';
import type { AppSocket } from './types.ts';

const refusal = (code: string) => Object.assign(new Error(code), { data: { code } });

/** `socketsOf(userId)`: how many sockets the user holds on this node now. */
export function handshakeAuth(authenticate: Authenticator, maxSocketsPerUser: number, socketsOf: (userId: string) => number) {
  return async (socket: AppSocket, next: (err?: Error) => void) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    try {
      const principal = typeof token === 'string' ? await authenticate(token, { inboxes: true }) : null;
      if (!principal) return next(refusal('UNAUTHORIZED'));
      if (socketsOf(principal.userId) >= maxSocketsPerUser) return next(refusal('RATE_LIMITED'));
      socket.data = {
        tenantId: principal.tenantId, userId: principal.userId, role: principal.role, kind: principal.kind, name: principal.name,
        keyId: principal.keyId, inboxIds: principal.inboxIds ?? [],
      };
      next();
    } catch {
      next(refusal('INTERNAL'));
    }
  };
}
