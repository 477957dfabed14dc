// The live queue's windows on one node, with the cluster's claims played by hand: changes that share a window share
// one read; a claim this node won while its own window waited (its answer came late) gets a read after that one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { QueueDto } from '../../src/contract/dto.ts';
import { EventBus, type DomainEvent } from '../../src/platform/events/domain-events.ts';
import type { WindowClaims } from '../../src/platform/coordination/window-claims.ts';
import { register } from '../../src/reactions/reaction.ts';
import { recomputeQueue } from '../../src/reactions/recompute-queue.ts';
import { until } from '../helpers/wait.ts';

const change: DomainEvent = { type: 'presence.changed', tenantId: 't', userId: 'u', status: 'online' };
const emptyQueue = (n: number) => ({ generatedAt: String(n), teams: [], inboxes: [] }) as QueueDto;

/** Claims answered when the test says so, each with the answer it is given. */
function handClaims() {
  const asked: ((mine: boolean) => void)[] = [];
  const claims: WindowClaims = { claim: () => new Promise<boolean>((resolve) => asked.push(resolve)) };
  return { claims, asked };
}

function world(claims: WindowClaims) {
  const bus = new EventBus();
  const reads: number[] = [];
  const published: string[] = [];
  const routing = { queue: async () => { reads.push(Date.now()); return emptyQueue(reads.length); } };
  bus.subscribe((e) => { if (e.type === 'queue.updated') published.push(e.queue.generatedAt); }, 'watch');
  const stop = register(bus, [recomputeQueue(bus, routing, claims)]);
  return { bus, reads, published, stop };
}

const windows = suite('live queue windows');

windows('changes while this node\'s window waits share its one read; a claim lost to another node reads nothing', async () => {
  const { claims, asked } = handClaims();
  const w = world(claims);
  w.bus.publish(change);
  assert.is(asked.length, 1);
  asked[0](true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  w.bus.publish(change); // the window is open: no claim, no read of its own
  w.bus.publish(change);
  assert.is(asked.length, 1);
  await until(() => w.published.length === 1, 3_000, 'the window\'s read');
  w.bus.publish(change);
  asked[1](false); // another node holds the next window
  await w.stop();
  assert.is(w.reads.length, 1);
});

windows('a claim won while this node\'s window waited gets a second read, after the first', async () => {
  const { claims, asked } = handClaims();
  const w = world(claims);
  w.bus.publish(change);
  w.bus.publish(change); // both ask before either answer comes back
  assert.is(asked.length, 2);
  asked[0](true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  asked[1](true); // the first claim lapsed before the second reached Redis
  await until(() => w.published.length === 2, 3_000, 'a second read');
  assert.ok(w.reads[1] - w.reads[0] >= 250, `reads ${w.reads[1] - w.reads[0]} ms apart`);
  await w.stop();
});

windows.run();
