// A node's copy of a tenant's automation rules: a change told while the rules were being read must not leave that
// read behind as the copy (it may predate the change), or the node would miss the new rule until the copy expires.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EntityManager } from '@mikro-orm/core';
import { systemClock } from '../../src/platform/clock.ts';
import { EventBus } from '../../src/platform/events/domain-events.ts';
import { RuleRunner } from '../../src/features/automation/rule-runner.ts';
import type { ActionServices } from '../../src/features/actions/run-actions.ts';

const rule = { id: 'r1', event: 'conversation.created', active: true, createdAt: new Date(0).toISOString() };

/** An entity manager whose reads of the rules are answered when the test says so. */
function handReads() {
  const reads: ((rules: unknown[]) => void)[] = [];
  const em = { find: () => new Promise((resolve) => reads.push(resolve)) } as unknown as EntityManager;
  return { em, reads };
}

const cache = suite('automation rules copy');

cache('a read overtaken by a change is used once, not kept', async () => {
  const { em, reads } = handReads();
  const runner = new RuleRunner(() => em, {} as ActionServices, new EventBus(), systemClock);
  const first = runner.follows('t', 'conversation.created');
  runner.forget('t'); // the rule was saved while the read ran
  reads[0]([]); // the read from before the rule
  assert.is(await first, false);
  const second = runner.follows('t', 'conversation.created');
  assert.is(reads.length, 2, 'read again, not taken from the copy');
  reads[1]([rule]);
  assert.is(await second, true);
  assert.is(await runner.follows('t', 'conversation.created'), true, 'this read is kept');
  assert.is(reads.length, 2);
});

cache.run();
