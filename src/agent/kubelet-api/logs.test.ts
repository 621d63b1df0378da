import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseRun, copyLog, goRfc3339Nano, parseCriLine } from './logs.ts';
import type { LogOptions } from './logs.ts';

const base: LogOptions = { follow: false, previous: false, timestamps: false };

async function read(content: string, o: Partial<LogOptions>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'knet-logs-'));
  try {
    writeFileSync(join(dir, 'c-0.log'), content);
    let out = '';
    await copyLog(join(dir, 'c-0.log'), { ...base, ...o }, { write: (s) => (out += s), closed: () => false }, () => false, new AbortController().signal);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LOG = [
  '2026-01-01T10:00:00.100000000Z stdout F one',
  '2026-01-01T10:00:01.000000000Z stderr F two',
  '2026-01-01T10:00:02.123456789Z stdout P par',
  '2026-01-01T10:00:02.200000000Z stdout F tial',
  '2026-01-01T10:00:03.000000000Z stdout F unfinished',
].join('\n'); // the last line has no newline yet: not shown

describe('CRI logs', () => {
  it('parses lines and joins partial ones', async () => {
    assert.deepEqual(parseCriLine('2026-01-01T10:00:00.1Z stderr P x y'), { time: '2026-01-01T10:00:00.1Z', stream: 'stderr', partial: true, content: 'x y' });
    assert.equal(await read(LOG, {}), 'one\ntwo\npartial\n');
  });
  it('tails, limits, filters by time and adds timestamps as Go prints them', async () => {
    assert.equal(await read(LOG, { tailLines: 1 }), 'tial\n');
    assert.equal(await read(LOG, { tailLines: 0 }), '');
    assert.equal(await read(LOG, { limitBytes: 6 }), 'one\ntw');
    assert.equal(await read(LOG, { since: Date.parse('2026-01-01T10:00:01Z') }), 'two\npartial\n');
    assert.equal(await read(LOG, { timestamps: true, tailLines: 3 }), '2026-01-01T10:00:01Z two\n2026-01-01T10:00:02.123456789Z par2026-01-01T10:00:02.2Z tial\n');
    assert.equal(goRfc3339Nano('2026-01-01T10:00:00.100000000Z'), '2026-01-01T10:00:00.1Z');
  });
  it('chooses the run as the kubelet does', () => {
    const a = (view: any) => ({ namespace: 'd', pod: 'p', podUID: 'u', view: { name: 'c', image: 'i', ready: false, started: false, ...view }, logPath: (n: number) => `/nonexistent/c-${n}.log`, securityContext: {} });
    const term = { kind: 'terminated', exitCode: 1, reason: 'Error', finishedAt: 'x' };
    assert.equal(chooseRun(a({ state: { kind: 'running', startedAt: 'x' }, restartCount: 2, lastState: term }), false), 2);
    assert.equal(chooseRun(a({ state: { kind: 'running', startedAt: 'x' }, restartCount: 2, lastState: term }), true), 1);
    assert.equal(chooseRun(a({ state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, restartCount: 1, lastState: term }), false), 0);
    assert.throws(() => chooseRun(a({ state: { kind: 'waiting', reason: 'ContainerCreating' }, restartCount: 0 }), false), /container "c" in pod "p" is waiting to start: ContainerCreating/);
    assert.throws(() => chooseRun(a({ state: { kind: 'running', startedAt: 'x' }, restartCount: 0 }), true), /previous terminated container "c" in pod "p" not found/);
  });
});
