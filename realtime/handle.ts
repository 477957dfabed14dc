// One path for every client event: rate limit → zod → tenant-scoped fork → service → presentation → typed ack.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Principal } from '../src/platform/auth/principal.ts';
import type { Ack } from '../src/contract/events.ts';
import { tenantEm } from '../src/platform/db/tenant-scope.ts';
import { AppError, toAppError } from '../src/platform/errors.ts';
import { containsNul } from '../src/platform/util/nul.ts';
import { presentPayload } from '../src/core/visibility/present.ts';
import type { InFlight } from './in-flight.ts';
import type { TokenBucket } from './rate-limit.ts';
import type { AppSocket } from './types.ts';

export interface HandlerContext {
  socket: AppSocket;
  principal: Principal;
  em: EntityManager;
}

export interface HandleDeps {
  orm: MikroORM;
  logger: Logger;
  inFlight: InFlight;
}

export function principalOf(socket: AppSocket): Principal {
  const d = socket.data;
  return { kind: d.kind, tenantId: d.tenantId, userId: d.userId, role: d.role, name: d.name };
}

/** Registers `event` on the socket; the ack always gets `{ok, data}` or `{ok: false, error}`, and nothing throws out. */
export function handle<P, R>(
  deps: HandleDeps, socket: AppSocket, event: string, schema: ZodType<P>,
  run: (ctx: HandlerContext, payload: P) => Promise<R>, limiter?: TokenBucket,
): void {
  // A refusal for going over the rate is built once: answering a flood must cost next to nothing.
  const refusal: Ack<R> = { ok: false, error: AppError.rateLimited(`too many ${event} events`).toBody() };
  socket.on(event as never, ((...args: unknown[]) => {
    // The ack is the last argument when there is one: an emit without a payload still gets its answer.
    const ack = typeof args.at(-1) === 'function' ? args.pop() as (answer: Ack<R>) => void : undefined;
    if (limiter && !limiter.take()) {
      ack?.(refusal);
      return;
    }
    void deps.inFlight.track(() => answer(args, ack));
  }) as never);

  async function answer(args: unknown[], ack: ((answer: Ack<R>) => void) | undefined): Promise<void> {
    const payload = args.length === 1 ? args[0] : args;
    const reply = (answer: Ack<R>) => { ack?.(answer); };
    try {
      if (containsNul(payload)) throw AppError.validation('text may not contain U+0000');
      const parsed = schema.parse(payload);
      const principal = principalOf(socket);
      const em = tenantEm(deps.orm, principal.tenantId);
      const data = await run({ socket, principal, em }, parsed);
      // Every answer leaves through the one presentation step, as this socket's reader may see it.
      reply({ ok: true, data: await presentPayload(em, principal, data) });
    } catch (err) {
      const { error, unexpected } = toAppError(err);
      if (unexpected) deps.logger.error({ err, event, tenantId: socket.data.tenantId, userId: socket.data.userId }, 'socket handler failed');
      reply({ ok: false, error: error.toBody() });
    }
  }
}

/** Events nobody handles still get an answer when they carry an ack, so that a client never waits in vain. */
export function answerUnknownEvents(socket: AppSocket): void {
  socket.use((packet, next) => {
    const [event] = packet;
    if (typeof event === 'string' && socket.listenerCount(event as never)) return next();
    const ack = packet.at(-1);
    if (typeof ack === 'function') ack({ ok: false, error: AppError.notFound(`event ${String(event).slice(0, 64)}`).toBody() });
  });
}
