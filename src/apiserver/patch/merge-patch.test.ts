import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.ts';
import { ApiError } from '../../lib/errors.ts';

// RFC 7396 Appendix A, the rows whose patch is an object (kube-apiserver decodes the patch
// into a map, so other patches are refused).
const rfcExamples: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

rfcExamples.forEach(([target, patch, want], i) => {
  test(`RFC 7396 example ${i + 1}`, () => {
    const before = structuredClone(target);
    assert.deepEqual(applyMergePatch(target, patch), want);
    assert.deepEqual(target, before, 'input is not mutated');
  });
});

test('kubectl scale and label patches', () => {
  const deploy = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'web' }] } } } };
  const scaled = applyMergePatch(deploy, { spec: { replicas: 3 } });
  assert.equal(scaled.spec.replicas, 3);
  assert.deepEqual(scaled.spec.template, deploy.spec.template);
  assert.notEqual(scaled.spec.template, deploy.spec.template, 'the result shares nothing with the input');
  const labelled = applyMergePatch(deploy, { metadata: { labels: { app: null, tier: 'front' } } });
  assert.deepEqual(labelled.metadata.labels, { tier: 'front' });
});

test('a patch that is not an object is 400', () => {
  assert.throws(() => applyMergePatch({ a: 1 }, ['c']), (err: unknown) => err instanceof ApiError && err.code === 400 &&
    err.message === 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
});
