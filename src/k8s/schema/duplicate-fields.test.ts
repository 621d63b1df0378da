import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateFields } from './duplicate-fields.ts';

describe('findDuplicateFields', () => {
  it('finds repeated keys at any depth, with list indexes in the path', () => {
    const text = '{"kind":"Deployment","spec":{"replicas":1,"replicas":2,"template":{"spec":{"containers":[{"name":"a"},{"name":"b","name":"c"}]}}},"kind":"X"}';
    assert.deepEqual(findDuplicateFields(text), ['spec.replicas', 'spec.template.spec.containers[1].name', 'kind']);
  });

  it('is not fooled by keys inside strings, escapes, or equal keys in sibling objects', () => {
    const text = '{"a":"{\\"a\\":1,\\"a\\":2}","b":[{"x":1},{"x":2}],"c":{"x":1},"d":{"x":1}, "e\\"q": 1, "e\\"q": 2}';
    assert.deepEqual(findDuplicateFields(text), ['e"q']);
  });

  it('finds nothing in a clean document', () => {
    assert.deepEqual(findDuplicateFields(JSON.stringify({ a: [1, { b: 2 }], c: { d: null } })), []);
  });
});
