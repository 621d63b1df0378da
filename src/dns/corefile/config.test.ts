import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorefileError, DEFAULT_COREFILE, defaultCorefile, parseCorefile, PLUGIN_ORDER } from './index.ts';

function fails(source: string, line: number, pattern: RegExp): void {
  assert.throws(() => parseCorefile(source), (e: unknown) => {
    assert.ok(e instanceof CorefileError, `expected CorefileError, got ${String(e)}`);
    assert.equal(e.line, line, e.message);
    assert.match(e.message, pattern);
    assert.ok(e.message.startsWith(`Corefile:${line}: `), e.message);
    return true;
  });
}

test('the default Corefile parses into the expected plugins', () => {
  const cfg = parseCorefile(DEFAULT_COREFILE);
  assert.equal(cfg.servers.length, 1);
  const s = cfg.servers[0];
  assert.deepEqual(s.zones, ['']);
  assert.equal(s.port, 53);
  assert.deepEqual(s.order, ['reload', 'ready', 'health', 'prometheus', 'errors', 'loadbalance', 'cache', 'kubernetes', 'loop', 'forward']);
  const k = s.plugins.kubernetes!;
  assert.deepEqual(k.zones, ['cluster.local', 'in-addr.arpa', 'ip6.arpa']);
  assert.equal(k.pods, 'insecure');
  assert.equal(k.ttl, 30);
  assert.deepEqual(k.fallthrough, { zones: ['in-addr.arpa', 'ip6.arpa'] });
  assert.equal(s.plugins.health!.lameduckMs, 5000);
  assert.deepEqual(s.plugins.prometheus!.address, { host: '', port: 9153 });
  assert.deepEqual(s.plugins.forward[0].to, [{ kind: 'resolv-conf', path: '/etc/resolv.conf' }]);
  assert.equal(s.plugins.forward[0].maxConcurrent, 1000);
  const c = s.plugins.cache!;
  assert.equal(c.success.maxTtl, 30);
  assert.equal(c.denial.maxTtl, 30);
  assert.deepEqual(c.disableSuccess, ['cluster.local']);
  assert.deepEqual(c.disableDenial, ['cluster.local']);
  assert.ok(Object.isFrozen(cfg) && Object.isFrozen(s.plugins) && Object.isFrozen(k.zones));
});

test('defaultCorefile takes the cluster domain', () => {
  const s = parseCorefile(defaultCorefile('k.example')).servers[0];
  assert.deepEqual(s.plugins.kubernetes!.zones, ['k.example', 'in-addr.arpa', 'ip6.arpa']);
  assert.deepEqual(s.plugins.cache!.disableSuccess, ['k.example']);
});

test('execution order comes from PLUGIN_ORDER, not from line order', () => {
  const s = parseCorefile('. {\n forward . 1.1.1.1\n loadbalance\n cache\n errors\n log\n}').servers[0];
  assert.deepEqual(s.order, ['errors', 'log', 'loadbalance', 'cache', 'forward']);
  assert.equal(PLUGIN_ORDER.indexOf('cache') < PLUGIN_ORDER.indexOf('kubernetes'), true);
});

test('server keys: zones, ports, dns:// and commas', () => {
  const cfg = parseCorefile('example.org., dns://Example.NET:53 {\n errors\n}\n.:5353 {\n errors\n}');
  assert.deepEqual(cfg.servers[0].zones, ['example.org', 'example.net']);
  fails('a.org:53 b.org:54 {\n errors\n}', 1, /share a port/);
  fails('tls://.:853 {\n errors\n}', 1, /plain DNS only/);
  fails('.:99999 {\n}', 1, /invalid port/);
  fails('.:53 {\n errors\n}\n.:53 {\n log\n}', 4, /already served by the block at line 1/);
});

test('a single server block may leave out its braces', () => {
  const s = parseCorefile('.:1053\nerrors\ncache 10\n').servers[0];
  assert.equal(s.port, 1053);
  assert.deepEqual(s.order, ['errors', 'cache']);
});

test('a block may sit on one line', () => {
  const s = parseCorefile('. {\n health { lameduck 3s }\n}').servers[0];
  assert.equal(s.plugins.health!.lameduckMs, 3000);
});

test('unknown and unsupported directives name the line and the known ones', () => {
  fails('.:53 {\n errors\n\n kubernets cluster.local\n}', 4, /unknown directive "kubernets" \(did you mean "kubernetes"\?\); knet knows: reload, .*kubernetes, .*forward/);
  fails('. {\n whoami\n}', 2, /CoreDNS plugin knet does not implement/);
  fails('. {\n cache\n cache 10\n}', 3, /only once per server block \(first at line 2\)/);
});

test('structural errors', () => {
  fails('. {\n errors\n', 1, /missing "}"/);
  fails('. {\n}\n}', 3, /unexpected "}"/);
  fails('. {\n}\nfoo\nerrors', 3, /expected "\{"/);
  fails('. {\n health\n {\n }\n}', 3, /same line as its directive/);
  fails('. {\n forward . 1.1.1.1 {\n  policy random {\n  }\n }\n}', 3, /one level deep/);
});

test('kubernetes options and their validation', () => {
  const k = parseCorefile(`cluster.local {
    kubernetes {
      pods verified
      ttl 0
      fallthrough
      endpoint_pod_names
      ignore empty_service
      namespaces a b
      noendpoints
      startup_timeout 1m
    }
  }`).servers[0].plugins.kubernetes!;
  assert.deepEqual(k.zones, ['cluster.local']);
  assert.deepEqual(k, { zones: ['cluster.local'], pods: 'verified', ttl: 0, fallthrough: { zones: [] }, endpointPodNames: true,
    ignoreEmptyService: true, namespaces: ['a', 'b'], noEndpoints: true, startupTimeoutMs: 60000 });
  fails('. {\n kubernetes cluster.local {\n  ttl 3601\n }\n}', 3, /between 0 and 3600/);
  fails('. {\n kubernetes {\n  pods maybe\n }\n}', 3, /disabled, insecure or verified/);
  fails('. {\n kubernetes {\n  ignore everything\n }\n}', 3, /empty_service/);
  fails('. {\n kubernetes {\n  kubeconfig /x\n }\n}', 3, /not supported by knet/);
  // CoreDNS refuses a kubernetes plugin with reverse zones only ("non-reverse zone name must be used").
  fails('. {\n errors\n kubernetes in-addr.arpa ip6.arpa\n}', 3, /needs a forward zone.*cluster\.local in-addr\.arpa/);
  fails('10.in-addr.arpa {\n kubernetes\n}', 2, /needs a forward zone/);
  assert.deepEqual(parseCorefile('. {\n kubernetes in-addr.arpa cluster.local\n}').servers[0].plugins.kubernetes!.zones, ['in-addr.arpa', 'cluster.local']);
  fails('. {\n kubernetes {\n  podz insecure\n }\n}', 3, /unknown option "podz" in kubernetes; knet knows: pods/);
  fails('. {\n kubernetes {\n  pods\n }\n}', 3, /takes 1 argument, got 0; write: pods disabled\|insecure\|verified/);
});

test('forward: upstream forms and options', () => {
  const f = parseCorefile(`. {
    forward example.org 10.0.0.1 10.0.0.2:5353 [2001:db8::1]:53 dns://9.9.9.9 2001:db8::2 /run/resolv.conf {
      except a.example.org b.example.org
      policy sequential
      max_fails 0
      health_check 2s
      max_concurrent 50
      force_tcp
      prefer_udp
      expire 30s
    }
    forward . 8.8.8.8
  }`).servers[0].plugins.forward;
  assert.equal(f.length, 2);
  assert.equal(f[0].from, 'example.org');
  assert.deepEqual(f[0].to, [
    { kind: 'address', host: '10.0.0.1', port: 53 }, { kind: 'address', host: '10.0.0.2', port: 5353 },
    { kind: 'address', host: '2001:db8::1', port: 53 }, { kind: 'address', host: '9.9.9.9', port: 53 },
    { kind: 'address', host: '2001:db8::2', port: 53 }, { kind: 'resolv-conf', path: '/run/resolv.conf' },
  ]);
  assert.deepEqual(f[0].except, ['a.example.org', 'b.example.org']);
  assert.equal(f[0].policy, 'sequential');
  assert.equal(f[0].maxFails, 0);
  assert.equal(f[0].healthCheckMs, 2000);
  assert.equal(f[0].expireMs, 30000);
  assert.equal(f[0].forceTcp && f[0].preferUdp, true);
  assert.equal(f[1].policy, 'random');
  fails('. {\n forward .\n}', 2, /at least 2 arguments/);
  fails('. {\n forward . dns.google\n}', 2, /neither IP\[:PORT\]/);
  fails('. {\n forward . tls://1.1.1.1\n}', 2, /plain DNS only/);
  fails('. {\n forward . 1.1.1.1 {\n  policy fastest\n }\n}', 3, /random, round_robin or sequential/);
  fails('. {\n forward . 1.1.1.1 {\n  expire 10\n }\n}', 3, /invalid duration "10" for expire; add a unit, e.g. 10s/);
  fails(`. {\n forward . ${Array.from({ length: 16 }, (_, i) => `10.0.0.${i + 1}`).join(' ')}\n}`, 2, /at most 15/);
});

test('cache: ttl, zones, tiers, servfail, disable, serve_stale, prefetch', () => {
  const c = parseCorefile(`. {
    cache 300 example.org {
      success 5000 600 10
      denial 2500
      servfail 2s
      disable denial sub.example.org
      disable success
      serve_stale 10m verified
      prefetch 5 1m 20%
      keepttl
    }
  }`).servers[0].plugins.cache!;
  assert.deepEqual(c.zones, ['example.org']);
  assert.deepEqual(c.success, { capacity: 5000, maxTtl: 600, minTtl: 10 });
  assert.deepEqual(c.denial, { capacity: 2500, maxTtl: 300, minTtl: 5 });
  assert.equal(c.servfailTtl, 2);
  assert.deepEqual(c.disableDenial, ['sub.example.org']);
  assert.deepEqual(c.disableSuccess, ['example.org']);
  assert.deepEqual(c.serveStale, { maxStaleMs: 600000, refreshMode: 'verified' });
  assert.deepEqual(c.prefetch, { amount: 5, durationMs: 60000, percentage: 20 });
  assert.equal(c.keepTtl, true);
  const d = parseCorefile('. {\n cache\n}').servers[0].plugins.cache!;
  assert.deepEqual([d.success.maxTtl, d.denial.maxTtl, d.success.capacity, d.servfailTtl], [3600, 1800, 9984, 5]);
  fails('. {\n cache 0\n}', 2, /between 1 and/);
  fails('. {\n cache {\n  servfail 10m\n }\n}', 3, /at most 5m/);
  fails('. {\n cache {\n  disable everything\n }\n}', 3, /success or denial/);
  fails('. {\n cache {\n  prefetch 1 1m 5%\n }\n}', 3, /between 10 and 90/);
});

test('hosts: file, zones, inline entries and options', () => {
  const h = parseCorefile(`example.org {
    hosts /etc/extra.hosts example.org {
      10.0.0.1 a.example.org A-Alias.example.org.
      fd00::1 v6.example.org
      ttl 60
      no_reverse
      reload 0
      fallthrough
    }
  }`).servers[0].plugins.hosts!;
  assert.equal(h.file, '/etc/extra.hosts');
  assert.deepEqual(h.zones, ['example.org']);
  assert.deepEqual(h.inline, [{ address: '10.0.0.1', names: ['a.example.org', 'a-alias.example.org'] }, { address: 'fd00::1', names: ['v6.example.org'] }]);
  assert.deepEqual([h.ttl, h.noReverse, h.reloadMs], [60, true, 0]);
  assert.deepEqual(h.fallthrough, { zones: [] });
  assert.equal(parseCorefile('. {\n hosts\n}').servers[0].plugins.hosts!.file, '/etc/hosts');
  fails('. {\n hosts {\n  10.0.0.1\n }\n}', 3, /has no name/);
  fails('. {\n hosts {\n  10.0.0.300 x\n }\n}', 3, /not a valid IP/);
});

test('rewrite: inline and block forms', () => {
  const r = parseCorefile(`. {
    rewrite name foo.example.org bar.example.org
    rewrite continue name suffix .schmoogle.com. .google.com. answer auto
    rewrite stop {
      name regex (.*)-(us-west-1)\\.example\\.org {1}.service.{2}.consul
      answer name (.*)\\.service\\.(us-west-1)\\.consul {1}-{2}.example.org
    }
  }`).servers[0].plugins.rewrite;
  assert.equal(r.length, 3);
  assert.deepEqual({ ...r[0], line: 0 }, { line: 0, mode: 'stop', match: 'exact', from: 'foo.example.org', to: 'bar.example.org', answer: null });
  assert.deepEqual([r[1].mode, r[1].match, r[1].from, r[1].to, r[1].answer], ['continue', 'suffix', '.schmoogle.com.', '.google.com.', { kind: 'auto' }]);
  assert.equal(r[2].match, 'regex');
  assert.equal(r[2].to, '{1}.service.{2}.consul');
  assert.deepEqual(r[2].answer, { kind: 'name', from: '(.*)\\.service\\.(us-west-1)\\.consul', to: '{1}-{2}.example.org' });
  fails('. {\n rewrite type ANY HINFO\n}', 2, /rewrite type is not supported/);
  fails('. {\n rewrite name regex ([ x\n}', 2, /invalid regular expression/);
  // JavaScript regexes backtrack (CoreDNS's Go RE2 does not): patterns that can take
  // exponential time on a hostile name are refused when the Corefile is read.
  for (const bad of ['(a+)+\\.example', '(.*)*x', '((ab)*c)+', '([a-z]|[0-9])+\\.svc', '(?:x{2,})*y']) {
    fails(`. {\n rewrite name regex ${bad} {1}.example.org\n}`, 2, /repeats a group that itself repeats or alternates/);
  }
  fails('. {\n rewrite {\n  name regex (.*)\\.a {1}.b\n  answer name (x+)*\\.b {1}.a\n }\n}', 4, /repeats a group/);
  // Go's RE2 has no backreferences or lookarounds, so CoreDNS refuses them too.
  fails('. {\n rewrite name regex (a)\\1 x\n}', 2, /backreference/);
  fails('. {\n rewrite name regex (?=a)b x\n}', 2, /lookaround/);
  for (const good of ['(.*)\\.cluster\\.local', '^([a-z0-9-]+)\\.ns\\.svc\\.cluster\\.local$', '(.*)-(.*)\\.example', '([(+*)])+x', '\\(a+\\)+', '(a)?(b)?c', '(foo|bar)\\.example']) {
    assert.equal(parseCorefile(`. {\n rewrite name regex ${good} {1}.example.org\n}`).servers[0].plugins.rewrite[0].from, good);
  }
  fails('. {\n rewrite name suffix a b answer sometimes\n}', 2, /answer auto/);
});

test('small directives', () => {
  const p = parseCorefile(`. {
    log example.org {
      class denial error
    }
    ready 127.0.0.1:8282
    prometheus [::1]:9253
    health :8081
    reload 10s 2s
    loadbalance round_robin
    loop
  }`).servers[0].plugins;
  assert.deepEqual(p.log, { zones: ['example.org'], classes: ['denial', 'error'] });
  assert.deepEqual(p.ready!.address, { host: '127.0.0.1', port: 8282 });
  assert.deepEqual(p.prometheus!.address, { host: '::1', port: 9253 });
  assert.deepEqual(p.health, { address: { host: '', port: 8081 }, lameduckMs: 0 });
  assert.deepEqual(p.reload, { intervalMs: 10000, jitterMs: 2000 });
  assert.deepEqual(parseCorefile('. {\n prometheus\n}').servers[0].plugins.prometheus!.address, { host: 'localhost', port: 9153 });
  fails('. {\n loadbalance weighted x\n}', 2, /takes 0 to 1 arguments, got 2/);
  fails('. {\n loadbalance weighted\n}', 2, /write: loadbalance round_robin/);
  fails('. {\n loop now\n}', 2, /takes 0 arguments/);
  fails('. {\n reload 1s\n}', 2, /at least 2s/);
  fails('. {\n errors {\n  consolidate 5m ".*"\n }\n}', 3, /not supported/);
  fails('. {\n log . "{remote} {name}"\n}', 2, /fixed format/);
  fails('. {\n ready :0\n}', 2, /out of range/);
});

test('comments and quoted arguments are handled', () => {
  const s = parseCorefile('# header\n. { # open\n  # a comment line\n  kubernetes "cluster.local" # trailing\n}').servers[0];
  assert.deepEqual(s.plugins.kubernetes!.zones, ['cluster.local']);
});

test('a file name given to parseCorefile appears in messages', () => {
  assert.throws(() => parseCorefile('. {\n bogus\n}', 'coredns/Corefile'), /^CorefileError: coredns\/Corefile:2: unknown directive "bogus"/);
});
