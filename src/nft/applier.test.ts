// Real nft in throwaway network namespaces (root only). Each suite makes its own namespace
// `knet-test-nft-<pid>-<n>` and deletes it in `after`, also when a test fails.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, deleteNetns, runInNetns } from '../host/index.ts';
import type { Table } from './model.ts';
import { NftApplier, listTable } from './index.ts';
import { elementText } from './verify.ts';

const isRoot = process.getuid?.() === 0;
let seq = 0;

function fixture(): Table {
  return {
    family: 'ip',
    name: 'knet-proxy',
    comment: 'knet service proxy (test)',
    sets: [
      { name: 'svc-3', typeof: 'ip daddr . meta l4proto . th dport', elements: ['10.96.0.10 . udp . 53', '10.96.0.20 . tcp . 80'], comment: 'Services with 3 endpoints' },
      { name: 'aff-svc-b', type: 'ipv4_addr', flags: ['dynamic', 'timeout'], timeout: '10800s', elements: [] },
    ],
    maps: [
      {
        name: 'dnat-3', typeofKey: 'ip daddr . meta l4proto . th dport . numgen random mod 3', typeofValue: 'ip daddr . th dport',
        elements: [
          ['10.96.0.10 . udp . 53 . 0', '10.244.1.5 . 53'], ['10.96.0.10 . udp . 53 . 1', '10.244.1.6 . 53'], ['10.96.0.10 . udp . 53 . 2', '10.244.2.5 . 53'],
          ['10.96.0.20 . tcp . 80 . 0', '10.244.1.7 . 8080'], ['10.96.0.20 . tcp . 80 . 1', '10.244.1.8 . 8080'], ['10.96.0.20 . tcp . 80 . 2', '10.244.2.7 . 8080'],
        ],
      },
      { name: 'service-ips', typeofKey: 'ip daddr . meta l4proto . th dport', typeofValue: 'verdict', elements: [['10.96.0.30 . tcp . 443', 'goto svc-a'], ['10.96.0.40 . tcp . 443', 'goto svc-b']] },
    ],
    chains: [
      { name: 'filter-prerouting', base: { type: 'filter', hook: 'prerouting', priority: 'dstnat - 10', policy: 'accept' }, rules: [{ text: 'ct state new ip daddr 10.96.0.0/12 counter', comment: 'service traffic' }] },
      {
        name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: 'dstnat' }, rules: [
          { text: 'ip daddr . meta l4proto . th dport @svc-3 dnat ip to ip daddr . meta l4proto . th dport . numgen random mod 3 map @dnat-3', comment: 'three endpoints' },
          { text: 'ip daddr . meta l4proto . th dport vmap @service-ips' },
        ],
      },
      { name: 'nat-postrouting', base: { type: 'nat', hook: 'postrouting', priority: 'srcnat' }, rules: [{ text: 'meta mark & 0x4000 == 0x4000 masquerade fully-random' }] },
      { name: 'svc-a', rules: [{ text: 'meta l4proto tcp dnat ip to 10.244.1.9:443' }], comment: 'rare feature chain' },
      { name: 'svc-b', rules: [{ text: 'update @aff-svc-b { ip saddr }' }, { text: 'meta l4proto tcp dnat ip to 10.244.1.10:443' }] },
    ],
  };
}

interface Listing {
  chains: Map<string, { hook?: string; prio?: number; comments: string[]; rules: number }>;
  sets: Map<string, Map<string, string>>;
}

async function list(ns: string): Promise<Listing> {
  const doc = JSON.parse(await listTable(ns, 'ip', 'knet-proxy')) as { nftables: Record<string, any>[] };
  const out: Listing = { chains: new Map(), sets: new Map() };
  for (const item of doc.nftables) {
    if (item.chain) out.chains.set(item.chain.name, { hook: item.chain.hook, prio: item.chain.prio, comments: [], rules: 0 });
    if (item.rule) {
      const c = out.chains.get(item.rule.chain)!;
      c.rules++;
      if (item.rule.comment) c.comments.push(item.rule.comment);
    }
    const s = item.set ?? item.map;
    if (s) out.sets.set(s.name, new Map((s.elem ?? []).map((e: unknown) => (Array.isArray(e) ? [elementText(e[0]), elementText(e[1])] : [elementText(e), '']))));
  }
  return out;
}

describe('NftApplier on real nft', { skip: !isRoot && 'needs root' }, () => {
  const ns = `knet-test-nft-${process.pid}-${seq++}`;
  let applier: NftApplier;
  before(async () => {
    await createNetns(ns);
    applier = new NftApplier({ netns: ns, table: 'knet-proxy', family: 'ip' });
  });
  after(async () => { await deleteNetns(ns); });

  it('applies a full table: base chains, verdict map, concatenated set, numgen dnat map', async () => {
    const r = await applier.apply(fixture());
    assert.equal(r.mode, 'full');
    const l = await list(ns);
    assert.deepEqual([...l.chains.keys()].sort(), ['filter-prerouting', 'nat-postrouting', 'nat-prerouting', 'svc-a', 'svc-b']);
    assert.deepEqual([l.chains.get('filter-prerouting')!.hook, l.chains.get('filter-prerouting')!.prio], ['prerouting', -110]);
    assert.deepEqual(l.chains.get('nat-prerouting')!.comments, ['three endpoints']);
    assert.deepEqual([...l.sets.get('svc-3')!.keys()].sort(), ['10.96.0.10 . udp . 53', '10.96.0.20 . tcp . 80']);
    assert.equal(l.sets.get('dnat-3')!.get('10.96.0.20 . tcp . 80 . 2'), '10.244.2.7 . 8080');
    assert.equal(l.sets.get('service-ips')!.get('10.96.0.40 . tcp . 443'), 'goto svc-b');
    assert.deepEqual(await applier.verify(), { inSync: true, differences: [] });
  });

  it('a second full apply over an existing table replaces it (stale objects vanish)', async () => {
    await runInNetns(ns, ['nft', 'add chain ip knet-proxy stale-chain']);
    const fresh = new NftApplier({ netns: ns, table: 'knet-proxy', family: 'ip' });
    assert.equal((await fresh.apply(fixture())).mode, 'full');
    assert.ok(!(await list(ns)).chains.has('stale-chain'));
  });

  it('applies an incremental update: elements, a changed chain, a removed chain and its vmap element', async () => {
    const next = fixture();
    next.sets[0].elements = ['10.96.0.10 . udp . 53', '10.96.0.50 . tcp . 8443'];
    next.maps[0].elements = next.maps[0].elements
      .filter(([k]) => !k.startsWith('10.96.0.20 '))
      .map(([k, v]) => [k, k === '10.96.0.10 . udp . 53 . 2' ? '10.244.3.3 . 53' : v] as [string, string])
      .concat([0, 1, 2].map((i) => [`10.96.0.50 . tcp . 8443 . ${i}`, `10.244.${i}.50 . 8443`] as [string, string]));
    // svc-b goes away with its vmap element in the same transaction (fine on kernels >= 6.2).
    next.maps[1].elements = [['10.96.0.30 . tcp . 443', 'goto svc-a']];
    next.chains = next.chains.filter((c) => c.name !== 'svc-b');
    next.sets = next.sets.filter((s) => s.name !== 'aff-svc-b');
    next.chains[0].rules.push({ text: 'ct state new ip daddr 10.96.0.0/12 meta l4proto tcp counter', comment: 'added' });
    next.chains.push({ name: 'svc-c', rules: [{ text: 'counter' }] });
    const r = await applier.apply(next);
    assert.equal(r.mode, 'incremental');
    const l = await list(ns);
    assert.deepEqual([...l.sets.get('svc-3')!.keys()].sort(), ['10.96.0.10 . udp . 53', '10.96.0.50 . tcp . 8443']);
    const dnat = l.sets.get('dnat-3')!;
    assert.equal(dnat.size, 6);
    assert.equal(dnat.get('10.96.0.10 . udp . 53 . 2'), '10.244.3.3 . 53');
    assert.equal(dnat.get('10.96.0.50 . tcp . 8443 . 1'), '10.244.1.50 . 8443');
    assert.equal(dnat.get('10.96.0.20 . tcp . 80 . 0'), undefined);
    assert.deepEqual([...l.sets.get('service-ips')!.entries()], [['10.96.0.30 . tcp . 443', 'goto svc-a']]);
    assert.ok(!l.chains.has('svc-b') && !l.sets.has('aff-svc-b'));
    assert.ok(l.chains.has('svc-c'));
    assert.deepEqual(l.chains.get('filter-prerouting')!.comments, ['service traffic', 'added']);
    assert.deepEqual(await applier.verify(), { inSync: true, differences: [] });
  });

  it('a broken update fails with nft errors and leaves the previous table in force', async () => {
    const before = await listTable(ns, 'ip', 'knet-proxy');
    const good = fixture();
    const broken = fixture();
    broken.sets[0].elements.push('10.96.0.77 . tcp . 77');
    broken.chains[3].rules.push({ text: 'ip saddr @no-such-set counter' });
    // Apply the good table first so the broken one is an incremental diff with element changes.
    await applier.apply(good);
    const mid = await listTable(ns, 'ip', 'knet-proxy');
    await assert.rejects(applier.apply(broken), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'nft-failed');
      assert.match(err.message, /Error:/);
      assert.match(err.message, /no-such-set/);
      return true;
    });
    assert.equal(await listTable(ns, 'ip', 'knet-proxy'), mid, 'table unchanged after the failed transaction');
    assert.notEqual(before, mid);
    // A failed full replace (add + delete table + definition) is rolled back as a whole too.
    const fresh = new NftApplier({ netns: ns, table: 'knet-proxy', family: 'ip' });
    await assert.rejects(fresh.apply(broken), { code: 'nft-failed', message: /no-such-set/ });
    assert.equal(await listTable(ns, 'ip', 'knet-proxy'), mid, 'table unchanged after the failed full replace');
    // The next apply after a failure is a full one.
    assert.equal((await applier.apply(good)).mode, 'full');
  });

  it('verify() reports drift made behind its back', async () => {
    await runInNetns(ns, ['nft', 'add element ip knet-proxy svc-3 { 10.96.9.9 . tcp . 9 }']);
    await runInNetns(ns, ['nft', 'delete element ip knet-proxy dnat-3 { 10.96.0.10 . udp . 53 . 0 }']);
    await runInNetns(ns, ['nft', 'flush chain ip knet-proxy svc-a']);
    const d = await applier.verify();
    assert.equal(d.inSync, false);
    assert.deepEqual(d.differences, [
      'chain svc-a: 0 rules, expected 1',
      'set svc-3: 1 elements unexpected (10.96.9.9 . tcp . 9)',
      'map dnat-3: 1 elements missing (10.96.0.10 . udp . 53 . 0)',
    ]);
    applier.invalidate();
    assert.equal((await applier.apply(fixture())).mode, 'full');
    assert.equal((await applier.verify()).inSync, true);
  });

  it('remove() deletes the table and is idempotent', async () => {
    await applier.remove();
    await applier.remove();
    await assert.rejects(listTable(ns, 'ip', 'knet-proxy'), { code: 'nft-failed' });
    assert.equal((await applier.apply(fixture())).mode, 'full');
    await applier.remove();
  });
});

describe('NftApplier at 10,000 Services', { skip: !isRoot && 'needs root' }, () => {
  const ns = `knet-test-nft-${process.pid}-${seq++}`;
  before(async () => { await createNetns(ns); });
  after(async () => { await deleteNetns(ns); });

  it('loads 10,000 set elements (30,000 map elements) fully, then changes one incrementally', async (t) => {
    const applier = new NftApplier({ netns: ns, table: 'knet-proxy', family: 'ip' });
    const table = fixture();
    const ip = (i: number) => `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    table.sets[0].elements = Array.from({ length: 10_000 }, (_, i) => `${ip(i + 256)} . tcp . 80`);
    table.maps[0].elements = table.sets[0].elements.flatMap((svc, i) =>
      [0, 1, 2].map((slot) => [`${svc} . ${slot}`, `10.244.${slot}.${(i % 250) + 2} . 8080`] as [string, string]));
    const full = await applier.apply(table);
    const next = structuredClone(table);
    next.sets[0].elements[1234] = '10.111.0.1 . tcp . 80';
    next.maps[0].elements[3 * 1234 + 1][1] = '10.244.9.9 . 8080';
    const inc = await applier.apply(next);
    t.diagnostic(`full: ${full.ms} ms, ${full.bytes} bytes; incremental (1 set element + 1 map value): ${inc.ms} ms, ${inc.bytes} bytes`);
    console.log(`# nft 10k: full ${full.ms} ms (${full.bytes} B), incremental ${inc.ms} ms (${inc.bytes} B)`);
    assert.equal(full.mode, 'full');
    assert.equal(inc.mode, 'incremental');
    assert.ok(inc.bytes < 500);
    const l = await list(ns);
    assert.equal(l.sets.get('svc-3')!.size, 10_000);
    assert.ok(l.sets.get('svc-3')!.has('10.111.0.1 . tcp . 80'));
    assert.equal(l.sets.get('dnat-3')!.get(next.maps[0].elements[3 * 1234 + 1][0]), '10.244.9.9 . 8080');
    await applier.remove();
  });
});
