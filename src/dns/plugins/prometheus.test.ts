import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rcode, RRType } from '../wire/types.ts';
import { createDnsMetrics } from './metrics.ts';
import { createMetricsPlugin } from './prometheus.ts';
import { nxdomain, query, response, scriptedNext } from './testing.ts';

test('requests, responses and durations are counted per zone, type and rcode', async () => {
  const metrics = createDnsMetrics();
  let t = 0;
  const p = createMetricsPlugin({ metrics, zones: ['', 'cluster.local'], port: 53, now: () => (t += 3) });
  await p.handle(query('web.default.svc.cluster.local'), scriptedNext(() => response(Rcode.NOERROR)));
  await p.handle(query('nope.example.com', RRType.AAAA, { client: 'fd00::7' }), scriptedNext(() => nxdomain('example.com')));
  await p.handle(query('x.example.com', 99), scriptedNext(() => response(Rcode.NOERROR)));
  await assert.rejects(p.handle(query('err.example.com'), async () => { throw new Error('x'); }));
  const base = { server: 'dns://:53', view: '' };
  assert.equal(metrics.requests.get({ ...base, zone: 'cluster.local.', proto: 'udp', family: '1', type: 'A' }), 1);
  assert.equal(metrics.requests.get({ ...base, zone: '.', proto: 'udp', family: '2', type: 'AAAA' }), 1);
  assert.equal(metrics.requests.get({ ...base, zone: '.', proto: 'udp', family: '1', type: 'other' }), 1);
  assert.equal(metrics.responses.get({ ...base, zone: '.', rcode: 'NXDOMAIN', plugin: '' }), 1);
  assert.equal(metrics.responses.get({ ...base, zone: '.', rcode: 'SERVFAIL', plugin: '' }), 1);
  assert.deepEqual(metrics.requestDuration.get({ ...base, zone: 'cluster.local.', type: 'A' }), { count: 1, sum: 0.003 });
  assert.match(metrics.registry.render(), /^coredns_dns_request_duration_seconds_bucket\{server="dns:\/\/:53",zone="cluster.local.",view="",type="A",le="0.004"\} 1$/m);
});
