import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toServiceView } from '../kubernetes/index.ts';
import { newServiceLatency, sliceLatency, TRIGGER_TIME_ANNOTATION } from './programming-latency.ts';

const now = Date.parse('2025-01-01T00:00:10.500Z');
const svc = (spec: any) => ({ metadata: { namespace: 'ns', name: 'web', creationTimestamp: '2025-01-01T00:00:10Z' }, spec });
const slice = (annotation?: string) => ({
  metadata: { namespace: 'ns', name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' }, annotations: annotation ? { [TRIGGER_TIME_ANNOTATION]: annotation } : {} },
});

test('a slice is measured from its trigger time, labelled by its Service kind', () => {
  const clusterIP = toServiceView(svc({ clusterIP: '10.96.0.20', selector: { app: 'web' } }));
  const headless = toServiceView(svc({ clusterIP: 'None', selector: { app: 'web' } }));
  assert.deepEqual(sliceLatency(slice('2025-01-01T00:00:09.250Z'), clusterIP, now), { kind: 'cluster_ip', seconds: 1.25 });
  assert.deepEqual(sliceLatency(slice('2025-01-01T00:00:10Z'), headless, now), { kind: 'headless_with_selector', seconds: 0.5 });
});

test('a slice without trigger time, with a bad one, or of an unknown Service is not measured', () => {
  const clusterIP = toServiceView(svc({ clusterIP: '10.96.0.20' }));
  assert.equal(sliceLatency(slice(), clusterIP, now), undefined);
  assert.equal(sliceLatency(slice('yesterday'), clusterIP, now), undefined);
  assert.equal(sliceLatency(slice('2025-01-01T00:00:09Z'), undefined, now), undefined);
});

test('new Services: only selector-less ones are measured from creation; a selector means the slice is the sample', () => {
  // CoreDNS records slices only; with a selector, a creation sample too would count one change twice.
  const c = svc({ clusterIP: '10.96.0.20', selector: { app: 'web' } });
  assert.equal(newServiceLatency(c, toServiceView(c), now), undefined);
  const cs = svc({ clusterIP: '10.96.0.20' });
  assert.deepEqual(newServiceLatency(cs, toServiceView(cs), now), { kind: 'cluster_ip', seconds: 0.5 });
  const h = svc({ clusterIP: 'None' });
  assert.deepEqual(newServiceLatency(h, toServiceView(h), now), { kind: 'headless_without_selector', seconds: 0.5 });
  const hs = svc({ clusterIP: 'None', selector: { app: 'web' } });
  assert.equal(newServiceLatency(hs, toServiceView(hs), now), undefined);
  const ext = svc({ type: 'ExternalName', externalName: 'example.com' });
  assert.equal(newServiceLatency(ext, toServiceView(ext), now), undefined);
});
