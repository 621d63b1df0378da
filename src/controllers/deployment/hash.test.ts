import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podTemplateHash, safeEncodeString, templatesEqualIgnoringHash, canonicalJson } from './index.ts';
import { fnv32a } from './hash.ts';

const template = () => ({
  metadata: { labels: { app: 'web', tier: 'front' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }] }] },
});

test('FNV-32a matches the reference vectors', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(fnv32a(enc('')), 0x811c9dc5);
  assert.equal(fnv32a(enc('a')), 0xe40c292c);
  assert.equal(fnv32a(enc('foobar')), 0xbf9cf968);
});

test('SafeEncodeString maps decimal digits as upstream', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('the hash looks like upstream\'s and is stable across key order', () => {
  const h = podTemplateHash(template());
  assert.match(h, /^[456789bcdf]{1,10}$/);
  const reordered = { spec: { containers: [{ ports: [{ containerPort: 80 }], image: 'nginx:1', name: 'web' }] }, metadata: { labels: { tier: 'front', app: 'web' } } };
  assert.equal(podTemplateHash(reordered), h);
  assert.equal(podTemplateHash(template()), h, 'deterministic');
});

test('any template change, or a collision count, changes the hash', () => {
  const h = podTemplateHash(template());
  const t1 = template(); t1.spec.containers[0].image = 'nginx:2';
  const t2 = template(); t2.metadata.labels.tier = 'back';
  const t3 = template(); t3.spec.containers[0].ports[0].containerPort = 81;
  const seen = new Set([h, podTemplateHash(t1), podTemplateHash(t2), podTemplateHash(t3), podTemplateHash(template(), 0), podTemplateHash(template(), 1)]);
  assert.equal(seen.size, 6);
});

test('templates compare equal ignoring the pod-template-hash label and key order', () => {
  const withHash = template() as any;
  withHash.metadata.labels['pod-template-hash'] = 'abc';
  assert.ok(templatesEqualIgnoringHash(withHash, template()));
  const other = template(); other.spec.containers[0].image = 'x';
  assert.ok(!templatesEqualIgnoringHash(withHash, other));
  assert.equal(canonicalJson({ b: 1, a: [{ d: null, c: 2 }] }), '{"a":[{"c":2}],"b":1}');
});
