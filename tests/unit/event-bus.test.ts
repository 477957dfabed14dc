// The bus isolates its listeners, reactions register and stop cleanly, and RunAgain folds requests.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventBus, type DomainEvent } from '../../src/platform/events/domain-events.ts';
import { reaction, register } from '../../src/reactions/reaction.ts';
import { RunAgain } from '../../src/platform/util/run-again.ts';

const presence = (userId: string): DomainEvent => ({ type: 'presence.changed', tenantId: 't', userId, status: 'online' });
const revoked: DomainEvent = { type: 'access.revoked', tenantId: 't', userId: 'u', inboxId: null };

const bus = suite('event bus');

bus('a listener that throws is reported, the publisher goes on, and later listeners still run', () => {
  const reports: string[] = [];
  const events = new EventBus({ onListenerError: (name, err, event) => reports.push(`${name}:${event.type}:${(err as Error).message}`) });
  const heard: string[] = [];
  events.subscribe(() => { throw new Error('boom'); }, 'thrower');
  events.subscribe((e) => { heard.push(e.type); }, 'hearer');
  events.publish(presence('a'));
  assert.equal(reports, ['thrower:presence.changed:boom']);
  assert.equal(heard, ['presence.changed']);
});

bus('an async listener that rejects is reported once, and its stop waits for its work', async () => {
  const reports: string[] = [];
  const events = new EventBus({ onListenerError: (name) => reports.push(name) });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let finished = false;
  const stop = events.subscribe(async () => { await gate; finished = true; throw new Error('late'); }, 'slow');
  events.publish(presence('a'));
  let stopped = false;
  const stopping = stop().then(() => { stopped = true; });
  await Promise.resolve();
  assert.is(stopped, false, 'stop waits for the work under way');
  release();
  await stopping;
  assert.ok(finished);
  assert.equal(reports, ['slow']);
  events.publish(presence('b'));
  assert.equal(reports, ['slow'], 'unsubscribed');
});

bus('on(type) hears its type only, with its own error handler when given', async () => {
  const events = new EventBus({ onListenerError: () => assert.unreachable('the bus report is not used') });
  const seen: string[] = [];
  const errors: unknown[] = [];
  const stop = events.on('presence.changed', async (e) => { seen.push(e.userId); throw new Error('x'); }, (err) => errors.push(err));
  events.publish(revoked);
  events.publish(presence('a'));
  await stop();
  assert.equal(seen, ['a']);
  assert.is(errors.length, 1);
});

bus('register subscribes reactions to their events and its stop closes them and waits', async () => {
  const events = new EventBus();
  const ran: string[] = [];
  let closed = false;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const stop = register(events, [
    reaction('presence', ['presence.changed'], async (e) => { await gate; ran.push(e.userId); }, () => { closed = true; }),
    reaction('revocation', ['access.revoked'], (e) => { ran.push(`revoked ${e.userId}`); }),
  ]);
  events.publish(presence('a'));
  events.publish(revoked);
  assert.equal(ran, ['revoked u']);
  const stopping = stop();
  release();
  await stopping;
  assert.ok(closed);
  assert.equal(ran, ['revoked u', 'a']);
  events.publish(presence('b'));
  await Promise.resolve();
  assert.equal(ran, ['revoked u', 'a'], 'no reaction after the stop');
});

const runAgain = suite('run again');

runAgain('requests during a run fold into one more run; other keys run on their own', async () => {
  const runs: string[] = [];
  const gates: (() => void)[] = [];
  const runner = new RunAgain<string>((key) => new Promise<void>((resolve) => { runs.push(key); gates.push(resolve); }));
  const first = runner.request('a');
  const folded = [runner.request('a'), runner.request('a'), runner.request('a')];
  void runner.request('b');
  assert.equal(runs, ['a', 'b']);
  assert.ok(runner.isRunning('a'));
  gates.shift()!();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(runs, ['a', 'b', 'a'], 'one more run of a for the three requests made meanwhile');
  gates.shift()!();
  gates.shift()!();
  await Promise.all([first, ...folded]);
  assert.equal(runs, ['a', 'b', 'a']);
  assert.not.ok(runner.isRunning('a'));
  await runner.idle();
});

runAgain('a failed run rejects its requests and the next request starts afresh', async () => {
  let fail = true;
  let count = 0;
  const runner = new RunAgain<string>(async () => { count++; if (fail) throw new Error('down'); });
  const failed = await runner.request('k').then(() => null, (err: Error) => err.message);
  assert.is(failed, 'down');
  fail = false;
  await runner.request('k');
  assert.is(count, 2);
});

bus.run();
runAgain.run();
