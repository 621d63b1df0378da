// The long-lived nft -i session on a real namespace: transactions commit whole or not at all,
// errors come back with nft's words, and the session survives a failure and its own death.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { NftSession } from './session.ts';

const NS = `knet-test-nftsess-${process.pid}`;
const list = () => execFileSync('ip', ['netns', 'exec', NS, 'nft', 'list', 'map', 'ip', 't', 'm'], { encoding: 'utf8' });
let session: NftSession;

before(() => {
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['netns', 'exec', NS, 'nft', '-f', '-'], { input: 'table ip t {\n  map m { type ipv4_addr : ipv4_addr; }\n}\n' });
  session = new NftSession(NS, { timeoutMs: 5000 });
});
after(() => {
  session?.close();
  execFileSync('ip', ['netns', 'del', NS]);
});

test('runs transactions, one after another, and reports a refused one without applying any of it', async () => {
  await session.run('# a comment line is dropped\nadd element ip t m { 10.0.0.1 : 10.1.0.1 }\nadd element ip t m { 10.0.0.2 : 10.1.0.2 }');
  assert.match(list(), /10\.0\.0\.1 : 10\.1\.0\.1/);
  // Replacing a value is a delete and an add in one transaction.
  await session.run('delete element ip t m { 10.0.0.1 }\nadd element ip t m { 10.0.0.1 : 10.1.0.9 }');
  assert.match(list(), /10\.0\.0\.1 : 10\.1\.0\.9/);
  // A refused transaction: its first command would succeed, the second fails: nothing applies.
  await assert.rejects(session.run('add element ip t m { 10.0.0.3 : 10.1.0.3 }\nadd element ip t m { 10.0.0.2 : 10.1.0.7 }'),
    (err: Error) => /File exists/.test(err.message) && /refused the transaction/.test(err.message));
  assert.doesNotMatch(list(), /10\.0\.0\.3/);
  await assert.rejects(session.run('add element ip t nosuchmap { 10.0.0.4 : 10.1.0.4 }'), /No such file or directory/);
  // And the session goes on.
  await session.run('add element ip t m { 10.0.0.5 : 10.1.0.5 }');
  assert.match(list(), /10\.0\.0\.5/);
});

test('many small transactions stay cheap (no process per transaction)', async () => {
  const started = performance.now();
  for (let i = 0; i < 50; i++) await session.run(`delete element ip t m { 10.0.0.5 }\nadd element ip t m { 10.0.0.5 : 10.1.1.${i} }`);
  const ms = performance.now() - started;
  assert.match(list(), /10\.0\.0\.5 : 10\.1\.1\.49/);
  // A generous bound that tells the two behaviours apart: 50 nft processes take about a second here.
  assert.ok(ms < 700, `50 transactions took ${ms.toFixed(0)} ms`);
});

test('starts a new nft when the old one died', async () => {
  const pid = session.pid;
  assert.ok(pid);
  process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  await session.run('add element ip t m { 10.0.0.6 : 10.1.0.6 }');
  assert.match(list(), /10\.0\.0\.6/);
});

test('close() during a transaction fails it at once, and the session works again after', async () => {
  const big = `add element ip t m { ${Array.from({ length: 20000 }, (_, i) => `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255} : 10.1.0.1`).join(', ')} }`;
  const started = performance.now();
  const running = session.run(big);
  setTimeout(() => session.close(), 5);
  await assert.rejects(running, /stopped during a transaction/);
  assert.ok(performance.now() - started < 2000, 'not left to its timeout');
  await session.run('add element ip t m { 10.0.0.7 : 10.1.0.7 }');
  assert.match(list(), /10\.0\.0\.7/);
});
