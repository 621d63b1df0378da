import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type { ForwardConfig, ForwardUpstream } from '../corefile/types.ts';
import { buildChain, startDnsServer } from '../server/index.ts';
import { decodeMessage } from '../wire/decode.ts';
import { encodeMessage } from '../wire/encode.ts';
import { Rcode, RRClass, RRType, type DnsMessage, type ResourceRecord } from '../wire/types.ts';
import { createForwardPlugin, ForwardError, parseResolvConf, type ForwardPlugin, type ForwardPluginOptions } from './forward.ts';
import { replyTo, startFakeUpstream, type FakeUpstream, type UpstreamScript } from './forward-fake-upstream.ts';
import { createDnsMetrics } from './metrics.ts';
import { a, aaaa, addressOf, query, scriptedNext } from './testing.ts';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function upstream(host: string, script: UpstreamScript, port = 0): Promise<FakeUpstream> {
  const u = await startFakeUpstream(host, port, script);
  open.push(u);
  return u;
}

function plugin(cfg: ForwardConfig, opts: ForwardPluginOptions = {}): ForwardPlugin {
  const p = createForwardPlugin(cfg, opts);
  open.push(p);
  return p;
}

function config(to: ForwardUpstream[], extra: Partial<ForwardConfig> = {}): ForwardConfig {
  return {
    from: '', to, except: [], policy: 'sequential', maxFails: 2, healthCheckMs: 500, maxConcurrent: null,
    forceTcp: false, preferUdp: false, expireMs: 10_000, ...extra,
  };
}

const at = (u: { host: string; port: number }): ForwardUpstream => ({ kind: 'address', host: u.host, port: u.port });
const never = scriptedNext(() => assert.fail('next must not be called'));
const fromNext = scriptedNext(() => ({ rcode: Rcode.NXDOMAIN, answers: [], authority: [], additional: [] }));

/** A port on `host` where nothing listens: UDP gets ICMP port unreachable, TCP a reset. */
async function closedPort(host: string): Promise<{ host: string; port: number }> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, host, () => resolve()));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return { host, port };
}

/** A UDP socket that reads queries and never answers. */
async function blackHole(host: string): Promise<{ host: string; port: number }> {
  const s = dgram.createSocket('udp4');
  s.on('message', () => {});
  await new Promise<void>((resolve) => s.bind(0, host, () => resolve()));
  open.push({ close: () => new Promise<void>((resolve) => s.close(() => resolve())) });
  return { host, port: s.address().port };
}

/** Answers every A/AAAA/SRV question from `table`, NXDOMAIN otherwise. */
const answering = (table: Record<string, ResourceRecord[]>): UpstreamScript => (q) => {
  const rrs = table[`${q.questions[0].name.toLowerCase()}/${q.questions[0].type}`];
  return rrs ? replyTo(q, rrs) : replyTo(q, [], { rcode: Rcode.NXDOMAIN });
};

const healthProbe = (q: DnsMessage) => q.questions[0].type === RRType.NS && q.questions[0].name === '';

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('forward: answers', () => {
  it('forwards A, AAAA and SRV and passes rcode, flags and sections back under a fresh id', async () => {
    const srv: ResourceRecord = {
      name: '_http._tcp.example.org', type: RRType.SRV, class: RRClass.IN, ttl: 30,
      data: { type: RRType.SRV, priority: 10, weight: 5, port: 8080, target: 'web.example.org' },
    };
    const up = await upstream('127.0.0.1', answering({
      'www.example.org/1': [a('www.example.org', '192.0.2.7')],
      'www.example.org/28': [aaaa('www.example.org', '2001:db8::7')],
      '_http._tcp.example.org/33': [srv],
    }));
    const metrics = createDnsMetrics();
    const fwd = plugin(config([at(up)]), { metrics });

    const r4 = await fwd.handle(query('www.example.org', RRType.A, { do: true }), never);
    assert.equal(r4.rcode, Rcode.NOERROR);
    assert.deepEqual(r4.answers.map(addressOf), ['192.0.2.7']);
    assert.equal(r4.aa, false);
    assert.equal((r4 as { ra?: boolean }).ra, true);
    const r6 = await fwd.handle(query('www.example.org', RRType.AAAA), never);
    assert.deepEqual(r6.answers.map(addressOf), ['2001:db8::7']);
    const rs = await fwd.handle(query('_http._tcp.example.org', RRType.SRV), never);
    assert.deepEqual(rs.answers, [srv]);
    const nx = await fwd.handle(query('nope.example.org'), never);
    assert.equal(nx.rcode, Rcode.NXDOMAIN);

    // The client's EDNS (size, DO) went upstream; the id did not (testing.query uses id 1).
    const first = up.seen[0].query;
    assert.equal(first.edns?.dnssecOk, true);
    assert.equal(first.edns?.udpPayloadSize, 1232);
    assert.equal(first.rd, true);
    assert.ok(new Set(up.seen.map((s) => s.query.id)).size > 1, 'each upstream query gets its own id');
    assert.deepEqual(up.seen.map((s) => s.transport), ['udp', 'udp', 'udp', 'udp']);
    assert.equal(metrics.forwardRequests.get({ to: `127.0.0.1:${up.port}` }), 4);
    assert.equal(metrics.forwardResponses.get({ to: `127.0.0.1:${up.port}`, rcode: 'NXDOMAIN' }), 1);
  });

  it('answers through a real server with the client id restored', async () => {
    const up = await upstream('127.0.0.1', answering({ 'svc.example.org/1': [a('svc.example.org', '192.0.2.9')] }));
    const fwd = plugin(config([at(up)]));
    const server = await startDnsServer({ host: '127.0.0.1', port: 0, handler: buildChain([fwd]) });
    open.push(server);
    const client = dgram.createSocket('udp4');
    open.push({ close: () => new Promise<void>((resolve) => client.close(() => resolve())) });
    const q = query('svc.example.org').message;
    const reply = await new Promise<DnsMessage>((resolve) => {
      client.on('message', (m) => resolve(decodeMessage(m)));
      client.send(encodeMessage({ ...q, id: 0x4242 }), server.udpPort, '127.0.0.1');
    });
    assert.equal(reply.id, 0x4242);
    assert.deepEqual(reply.answers.map(addressOf), ['192.0.2.9']);
    assert.notEqual(up.seen[0].query.id, 0x4242);
  });

  it('forwards to an IPv6 upstream', async () => {
    const up = await upstream('::1', (q) => replyTo(q, [a('v6.example', '192.0.2.6')]));
    const fwd = plugin(config([at(up)]));
    assert.deepEqual(fwd.upstreams(), [`[::1]:${up.port}`]);
    assert.deepEqual((await fwd.handle(query('v6.example'), never)).answers.map(addressOf), ['192.0.2.6']);
  });

  it('answers FORMERR when the upstream answers another question', async () => {
    const up = await upstream('127.0.0.1', (q) => replyTo({ ...q, questions: [{ ...q.questions[0], name: 'evil.example' }] }, []));
    const fwd = plugin(config([at(up)]));
    assert.equal((await fwd.handle(query('www.example.org'), never)).rcode, Rcode.FORMERR);
  });
});

describe('forward: which names', () => {
  it('forwards names under FROM minus the except zones; FROM itself always', async () => {
    const up = await upstream('127.0.0.1', (q) => replyTo(q, []));
    const fwd = plugin(config([at(up)], { from: 'example.org', except: ['internal.example.org', 'example.org'] }));
    const next = fromNext;
    next.calls.length = 0;
    assert.equal((await fwd.handle(query('Example.ORG'), next)).rcode, Rcode.NOERROR);
    assert.equal((await fwd.handle(query('a.internal.example.org'), next)).rcode, Rcode.NXDOMAIN);
    assert.equal((await fwd.handle(query('www.example.org'), next)).rcode, Rcode.NXDOMAIN);
    assert.equal((await fwd.handle(query('example.com'), next)).rcode, Rcode.NXDOMAIN);
    assert.equal((await fwd.handle(query('xexample.org'), next)).rcode, Rcode.NXDOMAIN);
    assert.equal(up.seen.length, 1);
    assert.deepEqual(next.calls.map((c) => c.question.name), ['a.internal.example.org', 'www.example.org', 'example.com', 'xexample.org']);
  });
});

describe('forward: resolv.conf upstreams', () => {
  it('parses nameserver lines and ignores the rest', () => {
    const text = '# generated\nsearch svc.cluster.local\nnameserver 10.0.0.10\nnameserver  fe80::1%eth0 ; link\nnameserver bogus\noptions ndots:5\nnameserver 2001:db8::53\n';
    assert.deepEqual(parseResolvConf(text), ['10.0.0.10', 'fe80::1%eth0', '2001:db8::53']);
  });

  it('forwards to the nameservers of the file, on port 53, without duplicates', async () => {
    const up = await upstream('127.0.0.41', answering({ 'x.example/1': [a('x.example', '192.0.2.1')] }), 53);
    const fwd = plugin(config([{ kind: 'resolv-conf', path: '/etc/test-resolv.conf' }, { kind: 'address', host: '127.0.0.41', port: 53 }]), {
      resolvConf: (path) => (assert.equal(path, '/etc/test-resolv.conf'), 'nameserver 127.0.0.41\n'),
    });
    assert.deepEqual(fwd.upstreams(), ['127.0.0.41:53']);
    assert.deepEqual((await fwd.handle(query('x.example'), never)).answers.map(addressOf), ['192.0.2.1']);
  });

  it('an empty or unreadable file means no upstreams: a matching query fails at once, others go on', async () => {
    const logged: string[] = [];
    for (const read of [() => '# nothing\n', () => { throw new Error('ENOENT: no such file'); }]) {
      const fwd = plugin(config([{ kind: 'resolv-conf', path: '/nope' }], { from: 'example.org' }), {
        resolvConf: read, log: (msg) => logged.push(msg),
      });
      const start = Date.now();
      await assert.rejects(fwd.handle(query('a.example.org'), never), (e: unknown) => e instanceof ForwardError && e.code === 'no-upstreams');
      assert.ok(Date.now() - start < 100);
      assert.equal((await fwd.handle(query('a.example.com'), fromNext)).rcode, Rcode.NXDOMAIN);
      assert.deepEqual(fwd.healthy(), []);
    }
    assert.ok(logged.includes('forward: cannot read resolv.conf'));
  });
});

describe('forward: transports', () => {
  const big = Array.from({ length: 40 }, (_, i) => a('big.example', `192.0.2.${i + 1}`));
  // Over UDP the upstream truncates as a server without EDNS must (RFC 1035 §4.2.1).
  const truncating: UpstreamScript = (q, t) => (t === 'udp' ? replyTo(q, [], { tc: true }) : replyTo(q, big));

  it('asks again over TCP when the UDP answer is truncated', async () => {
    const up = await upstream('127.0.0.1', truncating);
    const fwd = plugin(config([at(up)]));
    const res = await fwd.handle(query('big.example'), never);
    assert.equal(res.answers.length, 40);
    assert.deepEqual(up.seen.map((s) => s.transport), ['udp', 'tcp']);
  });

  it('follows the client transport by default; force_tcp and prefer_udp override it', async () => {
    const up = await upstream('127.0.0.1', (q) => replyTo(q, []));
    const tcpClient = () => ({ ...query('t.example'), client: { address: '10.0.0.1', port: 1, transport: 'tcp' as const } });
    await plugin(config([at(up)])).handle(tcpClient(), never);
    await plugin(config([at(up)], { forceTcp: true })).handle(query('t.example'), never);
    await plugin(config([at(up)], { preferUdp: true })).handle(tcpClient(), never);
    await plugin(config([at(up)], { forceTcp: true, preferUdp: true })).handle(query('t.example'), never);
    assert.deepEqual(up.seen.map((s) => s.transport), ['tcp', 'tcp', 'udp', 'tcp']);
  });
});

describe('forward: failures', () => {
  it('moves on from an upstream that refuses (ICMP unreachable) without waiting', async () => {
    const dead = await closedPort('127.0.0.2');
    const good = await upstream('127.0.0.1', (q) => replyTo(q, [a('x.example', '192.0.2.2')]));
    const fwd = plugin(config([at(dead), at(good)]), { readTimeoutMs: 2000 });
    const start = Date.now();
    assert.deepEqual((await fwd.handle(query('x.example'), never)).answers.map(addressOf), ['192.0.2.2']);
    assert.ok(Date.now() - start < 500, 'refusal is immediate, not a read timeout');
  });

  it('moves on from a black hole after the read timeout', async () => {
    const hole = await blackHole('127.0.0.3');
    const good = await upstream('127.0.0.1', (q) => replyTo(q, [a('x.example', '192.0.2.3')]));
    const fwd = plugin(config([at(hole), at(good)]), { readTimeoutMs: 150 });
    const start = Date.now();
    assert.deepEqual((await fwd.handle(query('x.example'), never)).answers.map(addressOf), ['192.0.2.3']);
    const took = Date.now() - start;
    assert.ok(took >= 140 && took < 1000, `took ${took} ms`);
  });

  it('gives up within the overall deadline when nothing answers', async () => {
    const hole = await blackHole('127.0.0.3');
    const fwd = plugin(config([at(hole)]), { readTimeoutMs: 300, timeoutMs: 450 });
    const start = Date.now();
    await assert.rejects(fwd.handle(query('x.example'), never), (e: unknown) => e instanceof ForwardError && e.code === 'timeout');
    const took = Date.now() - start;
    assert.ok(took >= 400 && took < 700, `took ${took} ms`);
  });

  it('stops trying once the injected clock passes the deadline', async () => {
    const dead = [await closedPort('127.0.0.2'), await closedPort('127.0.0.4')];
    const metrics = createDnsMetrics();
    let t = 0;
    // Each read of the clock moves it 1 s: deadline = 1000 + 5000; tries at 2000 and 4000; 6000 ends it.
    const fwd = plugin(config(dead.map(at), { maxFails: 0 }), { metrics, now: () => (t += 1000) });
    await assert.rejects(fwd.handle(query('x.example'), never), (e: unknown) => e instanceof ForwardError && e.code === 'refused');
    const tries = fwd.upstreams().reduce((n, to) => n + metrics.forwardRequests.get({ to }), 0);
    assert.equal(tries, 2, 'the deadline, not the 4-attempt budget, ended it');
    assert.equal(t, 6000);
  });

  it('rejects queries in flight and later ones on close(), leaving no timers or sockets behind', async () => {
    const hole = await blackHole('127.0.0.3');
    const dead = await closedPort('127.0.0.2');
    const count = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'UDPWrap' || r === 'TCPSocketWrap').length;
    await new Promise((r) => setTimeout(r, 30));
    const before = count();
    const fwd = createForwardPlugin(config([at(dead), at(hole)], { healthCheckMs: 20 }), { readTimeoutMs: 5000 });
    const pending = fwd.handle(query('x.example'), never); // dead refuses (probe starts), then the hole hangs
    await until(() => fwd.healthy()[0] === false, 1000);
    fwd.close();
    await assert.rejects(pending, (e: unknown) => e instanceof ForwardError && e.code === 'closed');
    await assert.rejects(fwd.handle(query('x.example'), never), (e: unknown) => e instanceof ForwardError && e.code === 'closed');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(count(), before);
  });
});

describe('forward: health', () => {
  it('marks an upstream down after max_fails failed checks and brings it back when checks pass', async () => {
    const dead = await closedPort('127.0.0.5');
    const good = await upstream('127.0.0.1', (q) => replyTo(q, []));
    const metrics = createDnsMetrics();
    const logged: string[] = [];
    const fwd = plugin(config([at(dead), at(good)], { maxFails: 1, healthCheckMs: 30 }), { metrics, log: (m) => logged.push(m) });
    await fwd.handle(query('x.example'), never);
    await until(() => fwd.healthy()[0] === false, 1000);
    assert.deepEqual(fwd.healthy(), [false, true]);
    const deadLabel = `127.0.0.5:${dead.port}`;
    assert.ok(metrics.forwardHealthcheckFailures.get({ to: deadLabel }) >= 2);

    // Down: skipped, so sequential goes straight to the second one.
    const sent = metrics.forwardRequests.get({ to: deadLabel });
    await fwd.handle(query('y.example'), never);
    assert.equal(metrics.forwardRequests.get({ to: deadLabel }), sent);

    // The upstream comes up where the dead one was; the next probe notices.
    const revived = await upstream('127.0.0.5', (q) => replyTo(q, [a('z.example', '192.0.2.5')]), dead.port);
    await until(() => fwd.healthy()[0] === true, 1000);
    assert.ok(revived.seen.some((s) => healthProbe(s.query) && s.query.rd), 'probe is . IN NS with RD');
    assert.deepEqual((await fwd.handle(query('z.example'), never)).answers.map(addressOf), ['192.0.2.5']);
    assert.deepEqual(logged, ['forward: upstream marked down', 'forward: upstream healthy again']);
  });

  it('when every upstream is down it still tries one', async () => {
    let answered = 0;
    // Health probes are never answered and the first query is dropped, so checks mark it down.
    const up = await upstream('127.0.0.1', (q) => (healthProbe(q) || answered++ === 0 ? undefined : replyTo(q, [])));
    const fwd = plugin(config([at(up)], { maxFails: 1, healthCheckMs: 10 }), { readTimeoutMs: 100, healthCheckTimeoutMs: 30 });
    assert.equal((await fwd.handle(query('x.example'), never)).rcode, Rcode.NOERROR); // second try answered
    await until(() => fwd.healthy()[0] === false, 1000);
    assert.equal((await fwd.handle(query('y.example'), never)).rcode, Rcode.NOERROR);
  });
});

describe('forward: max_concurrent', () => {
  it('refuses queries beyond the limit while others are in flight, and counts them', async () => {
    const up = await upstream('127.0.0.1', async (q) => {
      await new Promise((r) => setTimeout(r, 100));
      return replyTo(q, []);
    });
    const metrics = createDnsMetrics();
    const fwd = plugin(config([at(up)], { maxConcurrent: 2 }), { metrics });
    const results = await Promise.all([1, 2, 3].map(() => fwd.handle(query('slow.example'), never)));
    assert.deepEqual(results.map((r) => r.rcode).sort(), [Rcode.NOERROR, Rcode.NOERROR, Rcode.REFUSED]);
    assert.equal(metrics.forwardMaxConcurrentRejects.get(), 1);
    assert.equal((await fwd.handle(query('slow.example'), never)).rcode, Rcode.NOERROR, 'slots are given back');
  });
});

describe('forward: policies', () => {
  async function three(): Promise<FakeUpstream[]> {
    return Promise.all(['127.0.0.11', '127.0.0.12', '127.0.0.13'].map((h) => upstream(h, (q) => replyTo(q, []))));
  }
  async function spread(fwd: ForwardPlugin, ups: FakeUpstream[], n: number): Promise<number[]> {
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      const before = ups.map((u) => u.seen.length);
      await fwd.handle(query('p.example'), never);
      order.push(ups.findIndex((u, j) => u.seen.length > before[j]));
    }
    return order;
  }

  it('sequential always starts with the first', async () => {
    const ups = await three();
    assert.deepEqual(await spread(plugin(config(ups.map(at), { policy: 'sequential' })), ups, 4), [0, 0, 0, 0]);
  });

  it('round_robin rotates, starting after the first as CoreDNS does', async () => {
    const ups = await three();
    assert.deepEqual(await spread(plugin(config(ups.map(at), { policy: 'round_robin' })), ups, 6), [1, 2, 0, 1, 2, 0]);
  });

  it('random shuffles with the injected source, and spreads with the default one', async () => {
    const ups = await three();
    assert.deepEqual(await spread(plugin(config(ups.map(at), { policy: 'random' }), { random: () => 0.99 }), ups, 2), [0, 0]);
    assert.deepEqual(await spread(plugin(config(ups.map(at), { policy: 'random' }), { random: () => 0 }), ups, 2), [1, 1]);
    const seen = new Set(await spread(plugin(config(ups.map(at), { policy: 'random' })), ups, 40));
    assert.deepEqual([...seen].sort(), [0, 1, 2]);
  });
});
