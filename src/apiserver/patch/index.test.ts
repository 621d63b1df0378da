import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchTypeOf } from './index.ts';

test('patchTypeOf maps the four PATCH content types', () => {
  assert.equal(patchTypeOf('application/json-patch+json'), 'json');
  assert.equal(patchTypeOf('application/merge-patch+json'), 'merge');
  assert.equal(patchTypeOf('application/strategic-merge-patch+json; charset=utf-8'), 'strategic');
  assert.equal(patchTypeOf('application/apply-patch+yaml'), 'apply');
  assert.equal(patchTypeOf('application/apply-patch+cbor'), undefined);
  assert.equal(patchTypeOf('application/json'), undefined);
});
