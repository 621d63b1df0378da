import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configMapPrinter, leasePrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './plain.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: new Date(NOW - 45_000).toISOString() });

test('namespaces show their phase', () => {
  assert.deepEqual(namespacePrinter.cells({ metadata: meta('kube-system'), status: { phase: 'Active' } }, NOW), ['kube-system', 'Active', '45s']);
  assert.deepEqual(namespacePrinter.cells({ metadata: { name: 'gone', deletionTimestamp: 'x' }, status: { phase: 'Terminating' } }, NOW), ['gone', 'Terminating', '<unknown>']);
});

test('configmaps count text and binary keys', () => {
  assert.deepEqual(configMapPrinter.cells({ metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': '...' } }, NOW), ['kube-root-ca.crt', 1, '45s']);
  assert.deepEqual(configMapPrinter.cells({ metadata: meta('mixed'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, NOW)[1], 3);
  assert.deepEqual(configMapPrinter.cells({ metadata: meta('empty') }, NOW)[1], 0);
});

test('secrets show type and key count', () => {
  const s = { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } };
  assert.deepEqual(secretPrinter.cells(s, NOW), ['tls', 'kubernetes.io/tls', 2, '45s']);
  assert.deepEqual(secretPrinter.cells({ metadata: meta('empty'), type: 'Opaque' }, NOW), ['empty', 'Opaque', 0, '45s']);
});

test('serviceaccounts count listed secrets', () => {
  assert.deepEqual(serviceAccountPrinter.cells({ metadata: meta('default') }, NOW), ['default', 0, '45s']);
  assert.deepEqual(serviceAccountPrinter.cells({ metadata: meta('builder'), secrets: [{ name: 'a' }, { name: 'b' }] }, NOW)[1], 2);
});

test('leases show the holder, empty when nobody holds it', () => {
  assert.deepEqual(leasePrinter.cells({ metadata: meta('knet-node-1'), spec: { holderIdentity: 'knet-node-1' } }, NOW), ['knet-node-1', 'knet-node-1', '45s']);
  assert.deepEqual(leasePrinter.cells({ metadata: meta('free'), spec: {} }, NOW)[1], '');
});
