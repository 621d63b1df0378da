import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromLabelSelector, labelSelectorString, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'kubernetes.io/name': 'x' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['app notin (db, cache)', true],
    ['tier notin (front)', false],
    ['app,tier', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier in (front,back),!missing', true],
    ['kubernetes.io/name=x', true],
  ];
  for (const [sel, want] of cases) {
    it(`"${sel}" -> ${want}`, () => assert.equal(matchesLabels(parseLabelSelector(sel), labels), want));
  }
  it('rejects malformed selectors with a BadRequest', () => {
    assert.throws(() => parseLabelSelector('app in ()'), /values set can't be empty/);
    assert.throws(() => parseLabelSelector('a=b,,c'), /unable to parse requirement/);
    assert.throws(() => parseLabelSelector('a b'), /invalid requirement/);
  });
  it('converts metav1.LabelSelector and prints it as kubectl does', () => {
    const sel = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] });
    assert.equal(labelSelectorString(sel), 'app=web,tier in (a,b)');
    assert.equal(matchesLabels(sel, { app: 'web', tier: 'a' }), true);
    assert.equal(matchesLabels(fromLabelSelector({}), {}), true);
  });
});

describe('field selectors', () => {
  it('parses = == != and ANDs them', () => {
    const sel = parseFieldSelector('metadata.name=web,status.phase!=Failed,spec.nodeName==n1');
    assert.deepEqual(sel.map((r) => r.op), ['=', '!=', '=']);
    assert.equal(matchesFields(sel, { 'metadata.name': 'web', 'status.phase': 'Running', 'spec.nodeName': 'n1' }), true);
    assert.equal(matchesFields(sel, { 'metadata.name': 'web', 'status.phase': 'Failed', 'spec.nodeName': 'n1' }), false);
  });
  it('keeps empty values (involvedObject.namespace=)', () => {
    const sel = parseFieldSelector('involvedObject.namespace=');
    assert.equal(matchesFields(sel, { 'involvedObject.namespace': '' }), true);
  });
});
