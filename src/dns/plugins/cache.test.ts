import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile } from '../corefile/index.ts';
import { Rcode, RRClass, RRType } from '../wire/types.ts';
import { createCachePlugin } from './cache.ts';
import { createDnsMetrics } from './metrics.ts';
import { a, cname, nxdomain, query, response, scriptedNext, soa, addressOf } from './testing.ts';

function cacheConfig(body = '', args = '') {
  return parseCorefile(`. {\n cache ${args} {\n${body}\n }\n}`).servers[0].plugins.cache!;
}

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (s: number) => { t += s * 1000; } };
}

test('a second query is answered from the cache with a decremented TTL and aa=0', async () => {
  const c = clock();
  const cache = createCachePlugin(cacheConfig(), { now: c.now });
  const next = scriptedNext(() => response(Rcode.NOERROR, [a('web.example.org', '1.2.3.4', 300)]));
  const first = await cache.handle(query('web.example.org'), next);
  assert.equal(first.answers[0].ttl, 300);
  c.advance(100);
  const second = await cache.handle(query('web.example.org'), next);
  assert.equal(next.calls.length, 1);
  assert.equal(second.aa, false);
  assert.equal(second.answers[0].ttl, 200);
  assert.equal(addressOf(second.answers[0]), '1.2.3.4');
  assert.deepEqual({ ...cache.stats(), successEntries: 1 }, { successHits: 1, denialHits: 0, misses: 1, successEntries: 1, denialEntries: 0, evictions: 0, staleServed: 0 });
  c.advance(200);
  await cache.handle(query('web.example.org'), next);
  assert.equal(next.calls.length, 2, 'expired entry must go back to next');
});

test('TTLs are clamped to the tier maximum and minimum', async () => {
  const c = clock();
  const cache = createCachePlugin(cacheConfig('', '30'), { now: c.now });
  const long = scriptedNext(() => response(Rcode.NOERROR, [a('long.example', '1.1.1.1', 3000)]));
  assert.equal((await cache.handle(query('long.example'), long)).answers[0].ttl, 30);
  c.advance(31);
  await cache.handle(query('long.example'), long);
  assert.equal(long.calls.length, 2);
  const short = scriptedNext(() => response(Rcode.NOERROR, [a('short.example', '1.1.1.1', 1)]));
  await cache.handle(query('short.example'), short);
  c.advance(4);
  const hit = await cache.handle(query('short.example'), short);
  assert.equal(short.calls.length, 1, 'MINTTL 5 keeps a 1s record for 5s');
  assert.equal(hit.answers[0].ttl, 1);
});

test('NXDOMAIN is cached for the SOA MINIMUM when that is below the SOA TTL (RFC 2308)', async () => {
  const c = clock();
  const cache = createCachePlugin(cacheConfig(), { now: c.now });
  const next = scriptedNext(() => nxdomain('example.org', 3600, 60));
  await cache.handle(query('nope.example.org'), next);
  c.advance(59);
  const hit = await cache.handle(query('nope.example.org'), next);
  assert.equal(hit.rcode, Rcode.NXDOMAIN);
  assert.equal(hit.authority[0].ttl, 1);
  assert.equal(cache.stats().denialHits, 1);
  c.advance(2);
  await cache.handle(query('nope.example.org'), next);
  assert.equal(next.calls.length, 2);
});

test('NODATA goes to the denial tier; CNAME-only NOERROR to success', async () => {
  const cache = createCachePlugin(cacheConfig(), { now: clock().now });
  const nodata = scriptedNext(() => response(Rcode.NOERROR, [], [soa('example.org', 300, 30)]));
  await cache.handle(query('v4only.example.org', RRType.AAAA), nodata);
  await cache.handle(query('v4only.example.org', RRType.AAAA), nodata);
  assert.equal(nodata.calls.length, 1);
  const chained = scriptedNext(() => response(Rcode.NOERROR, [cname('www.example.org', 'web.example.org')]));
  await cache.handle(query('www.example.org'), chained);
  assert.deepEqual([cache.stats().denialEntries, cache.stats().successEntries], [1, 1]);
});

test('SERVFAIL is kept for the servfail duration (5s by default, 0 disables); REFUSED never', async () => {
  const c = clock();
  const cache = createCachePlugin(cacheConfig(), { now: c.now });
  const fail = scriptedNext(() => response(Rcode.SERVFAIL));
  await cache.handle(query('down.example'), fail);
  c.advance(4);
  await cache.handle(query('down.example'), fail);
  assert.equal(fail.calls.length, 1);
  c.advance(2);
  await cache.handle(query('down.example'), fail);
  assert.equal(fail.calls.length, 2);

  const off = createCachePlugin(cacheConfig('servfail 0s'), { now: c.now });
  const fail2 = scriptedNext(() => response(Rcode.SERVFAIL));
  await off.handle(query('down.example'), fail2);
  await off.handle(query('down.example'), fail2);
  assert.equal(fail2.calls.length, 2);

  const refused = scriptedNext(() => response(Rcode.REFUSED));
  await cache.handle(query('r.example'), refused);
  await cache.handle(query('r.example'), refused);
  assert.equal(refused.calls.length, 2);
});

test('disable success/denial keeps the cluster zone out of the cache', async () => {
  const cfg = parseCorefile('. {\n cache 30 {\n  disable success cluster.local\n  disable denial cluster.local\n }\n}').servers[0].plugins.cache!;
  const cache = createCachePlugin(cfg, { now: clock().now });
  const svc = scriptedNext(() => response(Rcode.NOERROR, [a('web.default.svc.cluster.local', '10.96.0.20', 30)]));
  await cache.handle(query('web.default.svc.cluster.local'), svc);
  await cache.handle(query('web.default.svc.cluster.local'), svc);
  assert.equal(svc.calls.length, 2);
  const missing = scriptedNext(() => nxdomain('cluster.local', 30, 30));
  await cache.handle(query('new.default.svc.cluster.local'), missing);
  await cache.handle(query('new.default.svc.cluster.local'), missing);
  assert.equal(missing.calls.length, 2);
  const ext = scriptedNext(() => response(Rcode.NOERROR, [a('example.com', '93.184.216.34')]));
  await cache.handle(query('example.com'), ext);
  await cache.handle(query('example.com'), ext);
  assert.equal(ext.calls.length, 1);
});

test('only denial disabled: answers cached, negatives not', async () => {
  const cache = createCachePlugin(cacheConfig('  disable denial example.org'), { now: clock().now });
  const nx = scriptedNext(() => nxdomain('example.org'));
  await cache.handle(query('x.example.org'), nx);
  await cache.handle(query('x.example.org'), nx);
  assert.equal(nx.calls.length, 2);
  const ok = scriptedNext(() => response(Rcode.NOERROR, [a('y.example.org', '1.1.1.1')]));
  await cache.handle(query('y.example.org'), ok);
  await cache.handle(query('y.example.org'), ok);
  assert.equal(ok.calls.length, 1);
});

test('keys: qname case-insensitive (answer in the asker\'s case), qtype, qclass and DO bit apart', async () => {
  const cache = createCachePlugin(cacheConfig(), { now: clock().now });
  const next = scriptedNext((req) => response(Rcode.NOERROR, [a(req.question.name, '1.2.3.4')]));
  await cache.handle(query('Web.Example.ORG'), next);
  const hit = await cache.handle(query('web.example.org'), next);
  assert.equal(next.calls.length, 1);
  assert.equal(hit.answers[0].name, 'web.example.org');
  await cache.handle(query('web.example.org', RRType.AAAA), next);
  await cache.handle(query('web.example.org', RRType.A, { class: RRClass.CH }), next);
  await cache.handle(query('web.example.org', RRType.A, { do: true }), next);
  assert.equal(next.calls.length, 4);
  await cache.handle(query('web.example.org', RRType.A, { do: false }), next);
  assert.equal(next.calls.length, 4, 'no EDNS and DO=0 share a key');
});

test('capacity is bounded per tier; the oldest entry is evicted', async () => {
  const cache = createCachePlugin(cacheConfig('  success 2'), { now: clock().now });
  const next = scriptedNext((req) => response(Rcode.NOERROR, [a(req.question.name, '1.2.3.4')]));
  for (const n of ['a.test', 'b.test', 'c.test']) await cache.handle(query(n), next);
  assert.equal(cache.stats().successEntries, 2);
  assert.equal(cache.stats().evictions, 1);
  await cache.handle(query('c.test'), next);
  assert.equal(next.calls.length, 3);
  await cache.handle(query('a.test'), next);
  assert.equal(next.calls.length, 4, 'a.test was evicted');
});

test('names outside the cache zones pass through', async () => {
  const cfg = parseCorefile('. {\n cache 30 example.org\n}').servers[0].plugins.cache!;
  const cache = createCachePlugin(cfg, { now: clock().now });
  const next = scriptedNext((req) => response(Rcode.NOERROR, [a(req.question.name, '1.2.3.4')]));
  await cache.handle(query('other.test'), next);
  await cache.handle(query('other.test'), next);
  assert.equal(next.calls.length, 2);
  assert.equal(cache.stats().misses, 0);
});

test('serve_stale answers an expired entry with TTL 0 and refreshes it behind', async () => {
  const c = clock();
  const cache = createCachePlugin(cacheConfig('  serve_stale 1h'), { now: c.now });
  let address = '1.1.1.1';
  const next = scriptedNext(() => response(Rcode.NOERROR, [a('s.test', address, 10)]));
  await cache.handle(query('s.test'), next);
  c.advance(20);
  address = '2.2.2.2';
  const stale = await cache.handle(query('s.test'), next);
  assert.equal(stale.answers[0].ttl, 0);
  assert.equal(addressOf(stale.answers[0]), '1.1.1.1');
  await new Promise((r) => setImmediate(r));
  const fresh = await cache.handle(query('s.test'), next);
  assert.equal(addressOf(fresh.answers[0]), '2.2.2.2');
  assert.equal(cache.stats().staleServed, 1);
});

test('hits and misses reach the Prometheus counters', async () => {
  const metrics = createDnsMetrics();
  const cache = createCachePlugin(cacheConfig(), { now: clock().now, metrics });
  const next = scriptedNext(() => response(Rcode.NOERROR, [a('m.test', '1.2.3.4')]));
  await cache.handle(query('m.test'), next);
  await cache.handle(query('m.test'), next);
  const text = metrics.registry.render();
  assert.match(text, /^coredns_cache_hits_total\{server="dns:\/\/:53",type="success",zones="\.",view=""\} 1$/m);
  assert.match(text, /^coredns_cache_misses_total\{server="dns:\/\/:53",zones="\.",view=""\} 1$/m);
  assert.match(text, /^coredns_cache_entries\{server="dns:\/\/:53",type="success",zones="\.",view=""\} 1$/m);
});
