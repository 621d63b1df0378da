import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTriggerTime, formatRFC3339Nano } from './trigger-time.ts';
import { pod, service } from './test-fixtures.ts';

test('first sync uses the Service creationTimestamp', () => {
  const r = computeTriggerTime(service(), [pod('a', '10.0.0.1', { readySince: '2025-02-01T00:00:00Z' })]);
  assert.equal(r.triggerTime, '2025-01-01T00:00:00Z');
  assert.deepEqual(r.state.podTimes, { a: Date.parse('2025-02-01T00:00:00Z') });
});

test('later syncs: earliest changed pod transition; nothing changed -> undefined', () => {
  const svc = service();
  const first = computeTriggerTime(svc, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2')]);
  const same = computeTriggerTime(svc, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2')], first.state);
  assert.equal(same.triggerTime, undefined);
  const changed = computeTriggerTime(svc, [
    pod('a', '10.0.0.1', { readySince: '2025-03-01T00:00:05.500Z' }),
    pod('b', '10.0.0.2', { readySince: '2025-03-01T00:00:09Z' }),
    pod('other', '10.0.0.3', { labels: { app: 'db' }, readySince: '2025-03-01T00:00:01Z' }),
  ], same.state);
  assert.equal(changed.triggerTime, '2025-03-01T00:00:05.5Z');
});

test('RFC3339Nano trims trailing zeros', () => {
  assert.equal(formatRFC3339Nano(Date.parse('2025-01-01T00:00:00.120Z')), '2025-01-01T00:00:00.12Z');
  assert.equal(formatRFC3339Nano(Date.parse('2025-01-01T00:00:00Z')), '2025-01-01T00:00:00Z');
});
