import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankPodsForDeletion } from './index.ts';
import { makePod, T0 } from './test-fixtures.ts';

const now = new Date(T0 + 10_000_000);
const order = (pods: any[], related?: any[]) => rankPodsForDeletion(pods, now, related).map((p) => p.metadata.name);

test('unassigned before assigned, Pending before Unknown before Running', () => {
  const pods = [
    makePod('running', { phase: 'Running' }),
    makePod('unknown', { phase: 'Unknown' }),
    makePod('pending', { phase: 'Pending' }),
    makePod('unassigned', { phase: 'Running', node: '' }),
  ];
  assert.deepEqual(order(pods), ['unassigned', 'pending', 'unknown', 'running']);
});

test('not ready before ready, then lower deletion cost first', () => {
  const pods = [
    makePod('ready-cheap', { ready: true, cost: -5 }),
    makePod('ready', { ready: true }),
    makePod('not-ready-costly', { ready: false, cost: 100 }),
  ];
  assert.deepEqual(order(pods), ['not-ready-costly', 'ready-cheap', 'ready']);
});

test('doubled-up nodes lose pods first, counting related pods of sibling ReplicaSets', () => {
  const a = makePod('a', { node: 'n1', ready: true });
  const b = makePod('b', { node: 'n2', ready: true });
  const sibling = makePod('sib', { node: 'n2', owner: 'other-rs' });
  assert.deepEqual(order([a, b], [a, b, sibling]), ['b', 'a']);
});

test('ready more recently goes first; equal buckets fall to restarts then creation', () => {
  const longReady = makePod('long', { ready: true, readySince: 0 });
  const recent = makePod('recent', { ready: true, readySince: 9_990 });
  assert.deepEqual(order([longReady, recent]), ['recent', 'long']);
  const restarted = makePod('restarted', { ready: true, restarts: 3 });
  const calm = makePod('calm', { ready: true });
  assert.deepEqual(order([calm, restarted]), ['restarted', 'calm']);
  const newer = makePod('newer', { created: 9_000 });
  const older = makePod('older', { created: 0 });
  assert.deepEqual(order([older, newer]), ['newer', 'older']);
});

test('the order does not depend on input order', () => {
  const pods = Array.from({ length: 6 }, (_, i) => makePod(`p${i}`, { created: 100, uid: `u${5 - i}` }));
  assert.deepEqual(order(pods), order([...pods].reverse()));
});
