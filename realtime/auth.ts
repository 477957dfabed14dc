// Handshake authentication: a JWT or bot key in `auth.token` (never the query string) sets the principal.
import type { Authenticator } from '../src/auth/authenticate.ts';
import type { AppSocket } from './types.ts';

export function handshakeAuth(authenticate: Authenticator) {
  return async (socket: AppSocket, next: (err?: Error) => void) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    try {
      const principal = typeof token === 'string' ? await authenticate(token) : null;
      if (!principal) return next(Object.assign(new Error('UNAUTHORIZED'), { data: { code: 'UNAUTHORIZED' } }));
      socket.data = { tenantId: principal.tenantId, userId: principal.userId, role: principal.role, kind: principal.kind, name: principal.name, keyId: principal.keyId };
      next();
    } catch {
      next(Object.assign(new Error('INTERNAL'), { data: { code: 'INTERNAL' } }));
    }
  };
}
