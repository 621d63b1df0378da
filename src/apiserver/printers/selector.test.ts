import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabelSelector, formatLabels, selectorString } from './selector.ts';

test('formatLabels sorts keys and shows <none> when empty', () => {
  assert.equal(formatLabels({ tier: 'web', app: 'shop' }), 'app=shop,tier=web');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels(undefined), '<none>');
});

test('selectorString renders every operator, sorted by key, with sorted values', () => {
  const sel = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'Exists' },
    ],
  };
  assert.equal(selectorString(sel), 'app=web,!canary,env notin (prod),tier in (a,b),zone');
});

test('selectorString: empty and missing selectors are empty, broken ones undefined', () => {
  assert.equal(selectorString({}), '');
  assert.equal(selectorString(undefined), '');
  assert.equal(selectorString({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), undefined);
  assert.equal(selectorString({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), undefined);
  assert.equal(selectorString({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), undefined);
});

test('formatLabelSelector: <none> for empty, <error> for invalid', () => {
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
});
