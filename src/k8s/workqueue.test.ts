import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './workqueue.ts';

describe('WorkQueue', () => {
  it('holds a key once however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a'); q.add('b'); q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
  });

  it('never hands one key to two workers; a key added while in process comes back after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const k = await q.get();
    q.add('a');
    assert.equal(q.length, 0, 'not queued while in process');
    let second: string | undefined;
    void q.get().then((x) => (second = x));
    await new Promise((r) => setImmediate(r));
    assert.equal(second, undefined);
    q.done(k!);
    await new Promise((r) => setImmediate(r));
    assert.equal(second, 'a');
  });

  it('retries with growing delays and delivers undefined after shutdown', async () => {
    const q = new WorkQueue({ baseDelayMs: 5, maxDelayMs: 40 });
    const t0 = Date.now();
    q.addRateLimited('x');
    assert.equal(await q.get(), 'x');
    q.done('x');
    assert.ok(Date.now() - t0 >= 3);
    assert.equal(q.idle(), true);
    const waiting = q.get();
    q.shutdown();
    assert.equal(await waiting, undefined);
  });
});
