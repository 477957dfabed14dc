// One path for every client event: rate limit → zod → tenant-scoped fork → service → presentation → typed ack.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { z, ZodType } from 'zod';
import type { Principal } from '../src/platform/auth/principal.ts';
import type { CallContext } from '../src/platform/call-context.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { EventBus } from '../src/platform/events/domain-events.ts';
import type { Ack, ClientToServerEvents } from '../src/contract/events.ts';
import { tenantEm } from '../src/platform/db/tenant-scope.ts';
import { AppError, toAppError } from '../src/platform/errors.ts';
import { containsNul } from '../src/platform/util/nul.ts';
import { presentPayload } from '../src/core/visibility/present.ts';
import type { InFlight } from './in-flight.ts';
import type { TokenBucket } from './rate-limit.ts';
import { COMMANDS } from './spec.ts';
import type { AppSocket } from './types.ts';

/** A service call's context (the same as over HTTP), and the socket it came on. */
export interface HandlerContext extends CallContext {
  socket: AppSocket;
}

export interface HandleDeps {
  orm: MikroORM;
  logger: Logger;
  inFlight: InFlight;
  bus: EventBus;
  clock: Clock;
}

export function principalOf(socket: AppSocket): Principal {
  const d = socket.data;
  return { kind: d.kind, tenantId: d.tenantId, userId: d.userId, role: d.role, name: d.name };
}

export type Command = keyof ClientToServerEvents;

// The answer to a send over the rate, built once per event and process: answering a flood must cost next to
// nothing, and building it per socket (an Error with its stack, for each of a socket's handlers) was a tenth of
// a connection's CPU.
const refusals = new Map<Command, Ack<never>>();
function refusalFor(event: Command): Ack<never> {
  let refusal = refusals.get(event);
  if (!refusal) refusals.set(event, refusal = { ok: false, error: AppError.rateLimited(`too many ${event} events`).toBody() });
  return refusal;
}
/** A handler's payload: what the event's schema in the contract (realtime/spec.ts) parses it into. */
export type PayloadOf<E extends Command> = z.output<(typeof COMMANDS)[E]['payload']>;
/** A handler's answer: the data of the event's acknowledgement in the contract's event map. */
export type AnswerOf<E extends Command> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer R> ? R : never;

/**
 * Registers `event` on the socket, parsed by its schema in the contract; the ack always gets `{ok, data}` or
 * `{ok: false, error}`, and nothing throws out. Payload and answer types come from the contract.
 */
export function handle<E extends Command>(
  deps: HandleDeps, socket: AppSocket, event: E,
  run: (ctx: HandlerContext, payload: PayloadOf<E>) => Promise<AnswerOf<E>>, limiter?: TokenBucket,
): void {
  type R = AnswerOf<E>;
  const schema: ZodType = COMMANDS[event].payload;
  const refusal = refusalFor(event) as Ack<R>;
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
      // The contract-types test holds each schema's output to the event map's payload.
      const parsed = schema.parse(payload) as PayloadOf<E>;
      const principal = principalOf(socket);
      const em = tenantEm(deps.orm, principal.tenantId, principal.role);
      const data = await run({ socket, principal, em, bus: deps.bus, clock: deps.clock }, parsed);
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
