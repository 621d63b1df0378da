import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDnsMetrics, exponentialBuckets, MetricsRegistry, TIME_BUCKETS } from './metrics.ts';

test('counters, gauges and histograms render in the Prometheus text format', () => {
  const r = new MetricsRegistry();
  const c = r.counter('x_total', 'Things.', ['kind']);
  const g = r.gauge('x_size', 'Size.');
  const h = r.histogram('x_seconds', 'Latency.', ['op'], [0.1, 1]);
  c.inc({ kind: 'a"b\\c' });
  c.inc({ kind: 'a"b\\c' }, 2);
  g.set(7);
  h.observe(0.05, { op: 'get' });
  h.observe(0.5, { op: 'get' });
  h.observe(5, { op: 'get' });
  assert.equal(r.render(), [
    '# HELP x_total Things.', '# TYPE x_total counter', 'x_total{kind="a\\"b\\\\c"} 3',
    '# HELP x_size Size.', '# TYPE x_size gauge', 'x_size 7',
    '# HELP x_seconds Latency.', '# TYPE x_seconds histogram',
    'x_seconds_bucket{op="get",le="0.1"} 1', 'x_seconds_bucket{op="get",le="1"} 2', 'x_seconds_bucket{op="get",le="+Inf"} 3',
    'x_seconds_sum{op="get"} 5.55', 'x_seconds_count{op="get"} 3', '',
  ].join('\n'));
  assert.equal(c.get({ kind: 'a"b\\c' }), 3);
  assert.deepEqual(h.get({ op: 'get' }), { count: 3, sum: 5.55 });
  assert.throws(() => c.inc({}, -1));
  assert.throws(() => r.counter('x_total', 'again'));
});

test('a metric without labels shows 0 before anything happens', () => {
  const r = new MetricsRegistry();
  r.counter('y_total', 'Y.');
  assert.match(r.render(), /^y_total 0$/m);
});

test('the DNS metrics carry CoreDNS\'s names and buckets', () => {
  const m = createDnsMetrics();
  assert.equal(TIME_BUCKETS.length, 16);
  assert.equal(TIME_BUCKETS[0], 0.00025);
  assert.equal(TIME_BUCKETS[15], 8.192);
  assert.deepEqual(exponentialBuckets(1, 3, 3), [1, 3, 9]);
  m.programmingDuration.observe(0.2, { service_kind: 'cluster_ip' });
  m.forwardRequests.inc({ to: '10.0.0.1:53' });
  const text = m.registry.render();
  for (const name of ['coredns_dns_requests_total', 'coredns_dns_responses_total', 'coredns_dns_request_duration_seconds',
    'coredns_cache_hits_total', 'coredns_cache_misses_total', 'coredns_forward_requests_total',
    'coredns_kubernetes_dns_programming_duration_seconds']) {
    assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
  }
  assert.match(text, /^coredns_kubernetes_dns_programming_duration_seconds_bucket\{service_kind="cluster_ip",le="0.256"\} 1$/m);
  assert.match(text, /^coredns_forward_requests_total\{to="10.0.0.1:53"\} 1$/m);
  assert.match(text, /^coredns_forward_max_concurrent_rejects_total 0$/m);
});

test('a gauge series can be deleted, or all of them reset', () => {
  const r = new MetricsRegistry();
  const g = r.gauge('x_info', 'Info.', ['hash']);
  g.set(1, { hash: 'a' });
  g.set(1, { hash: 'b' });
  assert.equal(g.delete({ hash: 'a' }), true);
  assert.equal(g.delete({ hash: 'a' }), false);
  assert.equal(r.render(), ['# HELP x_info Info.', '# TYPE x_info gauge', 'x_info{hash="b"} 1', ''].join('\n'));
  g.reset();
  assert.equal(r.render(), ['# HELP x_info Info.', '# TYPE x_info gauge', ''].join('\n'));
});
