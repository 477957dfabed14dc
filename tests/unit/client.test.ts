// The SDK's pure parts: seq ordering with gaps, and the typing throttle.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MessageDto } from '../../src/contract/dto.ts';
import { SeqTracker } from '../../src/clients/sdk/seq-tracker.ts';
import { TypingThrottle } from '../../src/clients/sdk/typing-throttle.ts';

const msg = (seq: number) => ({ id: `m${seq}`, conversationId: 'c', seq }) as MessageDto;
const seqs = (ms: MessageDto[]) => ms.map((m) => m.seq);

const tracker = suite('seq tracker');

tracker('delivers the next seq at once, drops repeats', () => {
  const t = new SeqTracker(3);
  assert.equal(seqs(t.receive(msg(4)).deliver), [4]);
  assert.equal(t.receive(msg(4)), { deliver: [], gap: false });
  assert.equal(t.receive(msg(2)), { deliver: [], gap: false });
  assert.is(t.lastSeq, 4);
});

tracker('holds messages past a gap, asks for a sync, and releases them in order once it is filled', () => {
  const t = new SeqTracker(0);
  assert.equal(t.receive(msg(3)), { deliver: [], gap: true });
  assert.equal(t.receive(msg(5)), { deliver: [], gap: true });
  // A live 1 arrives before the sync answers: delivered, and 2 is still missing.
  assert.equal(seqs(t.receive(msg(1)).deliver), [1]);
  assert.equal(seqs(t.synced([msg(2), msg(3)], false)), [2, 3]);
  assert.equal(seqs(t.synced([msg(4), msg(5), msg(6)], true)), [4, 5, 6]);
  assert.is(t.lastSeq, 6);
});

tracker('a complete sync that skips a seq (an internal note a bot never gets) releases what was held', () => {
  const t = new SeqTracker(1);
  assert.equal(t.receive(msg(3)).gap, true);
  assert.equal(seqs(t.synced([msg(3)], true)), [3]);
  assert.equal(t.receive(msg(5)).gap, true);
  assert.equal(seqs(t.synced([], true)), [5]);
  assert.is(t.lastSeq, 5);
});

const typing = suite('typing throttle');

typing('sends true at most once per throttle window and false after the idle time', async () => {
  const sent: boolean[] = [];
  const t = new TypingThrottle((v) => sent.push(v), { throttleMs: 1_000, idleMs: 30 });
  t.keystroke(0);
  t.keystroke(10);
  t.keystroke(999);
  assert.equal(sent, [true]);
  t.keystroke(1_000);
  assert.equal(sent, [true, true]);
  await new Promise<void>((resolve) => { const check = () => (sent.length === 3 ? resolve() : setTimeout(check, 5)); check(); });
  assert.equal(sent, [true, true, false]);
  t.stop();
  assert.equal(sent, [true, true, false], 'no second false');
});

typing('stop sends false only after a true', () => {
  const sent: boolean[] = [];
  const t = new TypingThrottle((v) => sent.push(v), { throttleMs: 1_000, idleMs: 10_000 });
  t.stop();
  assert.equal(sent, []);
  t.keystroke(0);
  t.stop();
  assert.equal(sent, [true, false]);
});

tracker.run();
typing.run();
