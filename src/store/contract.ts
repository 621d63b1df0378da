// The behaviour every Backend driver must show, as one suite run against each driver
// (store.test.ts). A new driver (etcd) passes this suite before it is used.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend, WatchEvent } from './backend.ts';
import { StoreError } from './backend.ts';

async function rejectsWith(p: Promise<unknown>, code: string): Promise<StoreError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StoreError, `expected StoreError, got ${err}`);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

export function backendContract(name: string, open: () => Promise<Backend> | Backend): void {
  describe(`store contract: ${name}`, () => {
    it('creates, reads, and refuses a second create of the same key', async () => {
      const b = await open();
      assert.equal(await b.currentRevision(), 0);
      const kv = await b.create('/a/1', 'one');
      assert.equal(kv.createRevision, 1);
      assert.equal(kv.modRevision, 1);
      assert.deepEqual(await b.get('/a/1'), kv);
      assert.equal(await b.get('/a/2'), undefined);
      await rejectsWith(b.create('/a/1', 'again'), 'key-exists');
      assert.equal(await b.currentRevision(), 1, 'a refused write creates no revision');
      await b.close();
    });

    it('updates with compare-and-swap on the mod revision', async () => {
      const b = await open();
      const c = await b.create('/k', 'v1');
      const u = await b.update('/k', 'v2', c.modRevision);
      assert.equal(u.modRevision, 2);
      assert.equal(u.createRevision, 1);
      const err = await rejectsWith(b.update('/k', 'v3', c.modRevision), 'conflict');
      assert.equal(err.current?.value, 'v2');
      assert.equal((await b.get('/k'))?.value, 'v2');
      const unconditional = await b.update('/k', 'v4');
      assert.equal(unconditional.value, 'v4');
      await rejectsWith(b.update('/missing', 'x'), 'not-found');
      await b.close();
    });

    it('deletes with an optional precondition and reports the delete revision', async () => {
      const b = await open();
      const c = await b.create('/d', 'x');
      await b.update('/d', 'y');
      await rejectsWith(b.delete('/d', c.modRevision), 'conflict');
      const del = await b.delete('/d');
      assert.equal(del.value, 'y');
      assert.equal(del.modRevision, 3);
      assert.equal(await b.get('/d'), undefined);
      await rejectsWith(b.delete('/d'), 'not-found');
      const again = await b.create('/d', 'z');
      assert.equal(again.createRevision, again.modRevision, 'a re-created key starts a new life');
      await b.close();
    });

    it('lists by prefix in key order, with pagination', async () => {
      const b = await open();
      for (const k of ['/p/c', '/p/a', '/q/a', '/p/b', '/pp/x']) await b.create(k, k);
      const all = await b.list('/p/');
      assert.deepEqual(all.items.map((i) => i.key), ['/p/a', '/p/b', '/p/c']);
      assert.equal(all.revision, 5);
      assert.equal(all.more, false);
      const page1 = await b.list('/p/', { limit: 2 });
      assert.deepEqual(page1.items.map((i) => i.key), ['/p/a', '/p/b']);
      assert.equal(page1.more, true);
      assert.equal(page1.remaining, 1);
      const page2 = await b.list('/p/', { limit: 2, after: '/p/b' });
      assert.deepEqual(page2.items.map((i) => i.key), ['/p/c']);
      assert.equal(page2.more, false);
      await b.close();
    });

    it('replays history after a revision, then follows live events in order', async () => {
      const b = await open();
      await b.create('/w/a', '1');           // rev 1
      await b.create('/x/a', 'other');       // rev 2
      await b.update('/w/a', '2');           // rev 3
      const seen: WatchEvent[] = [];
      const w = await b.watch('/w/', 1, (ev) => seen.push(ev));
      assert.deepEqual(seen.map((e) => [e.type, e.revision, e.kv.value]), [['put', 3, '2']]);
      assert.equal(seen[0].prevKv?.value, '1');
      assert.equal(seen[0].created, false);
      await b.create('/w/b', 'b');           // rev 4
      await b.create('/x/b', 'no');          // rev 5, other prefix
      await b.delete('/w/a');                // rev 6
      assert.deepEqual(seen.map((e) => [e.type, e.revision, e.kv.key]), [
        ['put', 3, '/w/a'], ['put', 4, '/w/b'], ['delete', 6, '/w/a'],
      ]);
      assert.equal(seen[1].created, true);
      assert.equal(seen[2].kv.value, '2', 'a delete carries the last value');
      w.close();
      await b.create('/w/c', 'after close');
      assert.equal(seen.length, 3, 'no events after close');
      await b.close();
    });

    it('refuses watches from below the compaction floor and keeps live keys', async () => {
      const b = await open();
      await b.create('/c/a', '1');
      await b.update('/c/a', '2');
      await b.create('/c/b', '1');
      await b.compact(2);
      assert.equal(await b.compactRevision(), 2);
      await rejectsWith(b.watch('/c/', 1, () => {}), 'compacted');
      const seen: number[] = [];
      const w = await b.watch('/c/', 2, (ev) => seen.push(ev.revision));
      assert.deepEqual(seen, [3]);
      w.close();
      assert.equal((await b.get('/c/a'))?.value, '2');
      assert.equal((await b.list('/c/')).items.length, 2);
      await b.close();
    });

    it('delivers every event to many watchers', async () => {
      const b = await open();
      const counts = Array.from({ length: 20 }, () => 0);
      const ws = await Promise.all(counts.map((_, i) => b.watch('/m/', 0, () => counts[i]++)));
      for (let i = 0; i < 50; i++) await b.create(`/m/${i}`, String(i));
      assert.deepEqual(counts, counts.map(() => 50));
      ws.forEach((w) => w.close());
      await b.close();
    });
  });
}
