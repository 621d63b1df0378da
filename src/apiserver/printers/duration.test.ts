import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, parseTime, since } from './duration.ts';

const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;

test('humanDuration follows Go duration.HumanDuration at every boundary', () => {
  const cases: [number, string][] = [
    [-3 * s, '<invalid>'], [-2 * s, '<invalid>'], [-1999, '0s'], [-1 * s, '0s'], [-500, '0s'],
    [0, '0s'], [999, '0s'], [45 * s, '45s'], [119 * s + 999, '119s'],
    [2 * m, '2m'], [2 * m + 5 * s, '2m5s'], [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'], [10 * m + 30 * s, '10m'], [179 * m, '179m'],
    [3 * h, '3h'], [3 * h + 10 * m, '3h10m'], [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'], [47 * h + 59 * m, '47h'],
    [2 * d, '2d'], [2 * d + 5 * h, '2d5h'], [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'], [729 * d, '729d'],
    [730 * d, '2y'], [731 * d, '2y1d'], [3 * 365 * d + 40 * d, '3y40d'],
    [8 * 365 * d, '8y'], [10 * 365 * d + 100 * d, '10y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

test('parseTime treats missing and Go zero times as unset', () => {
  assert.equal(parseTime(undefined), undefined);
  assert.equal(parseTime(''), undefined);
  assert.equal(parseTime('0001-01-01T00:00:00Z'), undefined);
  assert.equal(parseTime('not a time'), undefined);
  assert.equal(parseTime('2025-01-01T00:00:00Z'), Date.UTC(2025, 0, 1));
  assert.equal(parseTime('2025-01-01T00:00:00.250000Z'), Date.UTC(2025, 0, 1) + 250);
});

test('since renders an age, <unknown> for no timestamp', () => {
  const now = Date.UTC(2025, 5, 1, 12);
  assert.equal(since('2025-06-01T11:55:00Z', now), '5m');
  assert.equal(since(undefined, now), '<unknown>');
});
