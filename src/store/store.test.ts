import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendContract } from './contract.ts';
import { MemoryBackend } from './memory.ts';
import { SqliteBackend } from './sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'knet-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

backendContract('memory', () => new MemoryBackend());
backendContract('sqlite', () => new SqliteBackend(join(dir, `t${n++}.db`)));

describe('sqlite persistence', () => {
  it('reopens with every key, the revision and the compaction floor', async () => {
    const path = join(dir, 'reopen.db');
    const a = new SqliteBackend(path);
    await a.create('/r/1', 'a');
    await a.create('/r/2', 'b');
    await a.update('/r/1', 'c');
    await a.delete('/r/2');
    await a.compact(4);
    await a.close();
    const b = new SqliteBackend(path);
    assert.equal(await b.currentRevision(), 4);
    assert.equal(await b.compactRevision(), 4);
    assert.deepEqual((await b.list('/r/')).items.map((i) => [i.key, i.value, i.modRevision]), [['/r/1', 'c', 3]]);
    const kv = await b.create('/r/3', 'd');
    assert.equal(kv.modRevision, 5, 'revisions keep increasing across restarts');
    await b.close();
  });
});
