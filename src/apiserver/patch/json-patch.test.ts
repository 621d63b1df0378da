import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './json-patch.ts';
import { ApiError } from '../../lib/errors.ts';

// RFC 6902 Appendix A, the examples that succeed.
const rfcExamples: [string, unknown, unknown[], unknown][] = [
  ['A.1 add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
  ['A.2 add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
  ['A.3 remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
  ['A.4 remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
  ['A.5 replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
  ['A.6 move a value', { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
  ['A.7 move an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
  ['A.8 test a value: success', { baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
  ['A.10 add a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
  ['A.11 ignore unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
  ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
  ['A.16 add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  ['copy', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
  ['add at the root replaces the document', { a: 1 }, [{ op: 'add', path: '', value: { b: 2 } }], { b: 2 }],
  ['label key with a slash', { metadata: { labels: {} } }, [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }],
    { metadata: { labels: { 'app.kubernetes.io/name': 'web' } } }],
];

for (const [name, doc, patch, want] of rfcExamples) {
  test(`RFC 6902 ${name}`, () => {
    const before = structuredClone(doc);
    assert.deepEqual(applyJsonPatch(doc, patch), want);
    assert.deepEqual(doc, before, 'input is not mutated');
  });
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err;
  }
  assert.fail('expected an error');
}

// Operations that cannot apply are 422 with kube-apiserver's generic message.
const failing: [string, unknown, unknown[]][] = [
  ['A.9 test a value: error', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]],
  ['A.12 add to a nonexistent target', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }]],
  ['A.15 comparing strings and numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }]],
  ['remove a missing member', { a: 1 }, [{ op: 'remove', path: '/b' }]],
  ['replace a missing member', { a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]],
  ['array index out of bounds', { a: [1] }, [{ op: 'add', path: '/a/5', value: 2 }]],
  ['unknown op', { a: 1 }, [{ op: 'frobnicate', path: '/a' }]],
  ['move into its own child', { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }]],
];

for (const [name, doc, patch] of failing) {
  test(`JSON patch that cannot apply is 422: ${name}`, () => {
    const err = apiError(() => applyJsonPatch(doc, patch));
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, 'the server rejected our request due to an error in our request');
  });
}

test('a failed test leaves no partial change (operations apply to a copy)', () => {
  const doc = { a: 1 };
  apiError(() => applyJsonPatch(doc, [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 3 }]));
  assert.deepEqual(doc, { a: 1 });
});

test('a test against metadata.resourceVersion works as a precondition', () => {
  const doc = { metadata: { resourceVersion: '5' } };
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'test', path: '/metadata/resourceVersion', value: '5' }]), doc);
  assert.equal(apiError(() => applyJsonPatch(doc, [{ op: 'test', path: '/metadata/resourceVersion', value: '4' }])).code, 422);
});

test('a body that is not a list of operations is 400', () => {
  const obj = apiError(() => applyJsonPatch({}, { op: 'add' }));
  assert.equal(obj.code, 400);
  assert.equal(obj.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  const str = apiError(() => applyJsonPatch({}, ['x']));
  assert.equal(str.message, 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
});
