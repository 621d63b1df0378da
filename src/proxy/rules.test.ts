// Incremental compilation must give exactly what a full compile of the same objects gives:
// random sequences of Service and slice changes (new, changed, deleted, relabelled, contested
// addresses, affinity, endpoint counts that create and empty groups) are replayed one Service
// at a time, and the rules' table (and the applier's view of it, built only from the element
// changes it was sent) is compared with a fresh compile after every step. Then the same on
// real nft: the kernel's table after a series of incremental transactions matches.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { ElementChanges, Table } from '../nft/model.ts';
import { NftApplier, renderTable } from '../nft/index.ts';
import { compileProxyObjects } from './compile.ts';
import { ProxyRules, sliceOwner, type ChangesApplier } from './rules.ts';
import { NODE_OPTS, clusterObjects, slice, svc } from './test-cluster.ts';
import { seededRandom as mulberry32 } from '../lib/seeded-random.ts';


/** Keeps the elements it was sent, as the kernel would: full tables replace, changes patch. */
class ModelApplier implements ChangesApplier {
  elements = new Map<string, Map<string, string>>();
  fulls = 0;
  known = false;
  async applyChanges(skeleton: Table, changes: ElementChanges, full: () => Table): Promise<void> {
    if (!this.known) {
      this.fulls++;
      this.elements = new Map();
      const t = full();
      for (const s of t.sets) this.elements.set(s.name, new Map(s.elements.map((e) => [e, ''])));
      for (const m of t.maps) this.elements.set(m.name, new Map(m.elements));
      this.known = true;
      return;
    }
    const declared = new Set([...skeleton.sets, ...skeleton.maps].map((s) => s.name));
    for (const name of [...this.elements.keys()]) if (!declared.has(name)) this.elements.delete(name);
    for (const name of declared) if (!this.elements.has(name)) this.elements.set(name, new Map());
    for (const [name, c] of changes) {
      const m = this.elements.get(name);
      if (!m) continue; // a dropped set's deletes
      for (const k of c.del) assert.ok(m.delete(k), `delete of a missing element ${name} ${k}`);
      for (const [k, v] of c.add) {
        assert.ok(!m.has(k), `add of a present element ${name} ${k}`);
        m.set(k, v);
      }
    }
  }
  async remove(): Promise<void> {}
  invalidate(): void {
    this.known = false;
  }
}

function tableElements(t: Table): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const s of t.sets) out.set(s.name, new Map(s.elements.map((e) => [e, ''])));
  for (const m of t.maps) out.set(m.name, new Map(m.elements));
  return out;
}

/** A random change to the world: a Service or slice added, changed or removed. */
function mutate(rand: () => number, services: Map<string, any>, slices: Map<string, any>, step: number): void {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const name = pick(names);
  const r = rand();
  if (r < 0.35) {
    // A Service, sometimes with a contested address or NodePort, affinity, eTP Local.
    const ip = `10.96.1.${pick([1, 2, 3, 4, 5, 6])}`;
    const spec: any = {
      clusterIP: ip, type: pick(['ClusterIP', 'NodePort', 'LoadBalancer']),
      ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30000 + Math.floor(rand() * 3) }],
    };
    if (rand() < 0.3) spec.externalIPs = [`192.168.9.${pick([1, 2])}`];
    if (rand() < 0.2) spec.sessionAffinity = 'ClientIP';
    if (rand() < 0.3) spec.externalTrafficPolicy = 'Local';
    if (rand() < 0.2) spec.internalTrafficPolicy = 'Local';
    if (rand() < 0.1) spec.ports = [];
    services.set(`default/${name}`, svc(name, spec, spec.type === 'LoadBalancer' ? [`172.18.255.${200 + Math.floor(rand() * 2)}`] : []));
  } else if (r < 0.45) {
    services.delete(`default/${name}`);
  } else if (r < 0.85) {
    // A slice with 0-4 endpoints on either node, in varied states.
    const n = Math.floor(rand() * 5);
    const eps: [string, string, any][] = [];
    for (let i = 0; i < n; i++) {
      eps.push([`10.244.${1 + Math.floor(rand() * 2)}.${1 + Math.floor(rand() * 6)}`, pick(['n1', 'n2']),
        pick([{ ready: true }, { ready: true }, { ready: false, serving: true, terminating: true }, { ready: false }])]);
    }
    const s = slice(name, [['http', 'TCP', 8080 + (step % 2)]], eps, pick(['x', 'y']));
    slices.set(`default/${s.metadata.name}`, s);
  } else if (r < 0.95) {
    const keys = [...slices.keys()];
    if (keys.length) slices.delete(pick(keys));
  } else {
    // A slice relabelled to another Service.
    const keys = [...slices.keys()];
    if (keys.length) {
      const s = structuredClone(slices.get(pick(keys)));
      s.metadata.labels['kubernetes.io/service-name'] = pick(names);
      slices.set(`default/${s.metadata.name}`, s);
    }
  }
}

test('incremental updates give the same rules as a full compile, step after step', async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const rand = mulberry32(seed);
    const services = new Map<string, any>();
    const slices = new Map<string, any>();
    const applier = new ModelApplier();
    const rules = new ProxyRules(NODE_OPTS, applier);
    rules.rebuild([], []);
    await rules.apply();
    for (let step = 0; step < 300; step++) {
      const beforeSlices = new Map(slices);
      const beforeServices = new Map(services);
      mutate(rand, services, slices, step);
      // What changed, as the proxier's informers would report it.
      const dirty = new Set<string>();
      for (const k of new Set([...beforeServices.keys(), ...services.keys()])) if (beforeServices.get(k) !== services.get(k)) dirty.add(k);
      for (const k of new Set([...beforeSlices.keys(), ...slices.keys()])) {
        if (beforeSlices.get(k) === slices.get(k)) continue;
        for (const s of [beforeSlices.get(k), slices.get(k)]) if (s && sliceOwner(s)) dirty.add(sliceOwner(s));
      }
      for (const key of dirty) rules.update(key, services.get(key), [...slices.values()].filter((s) => sliceOwner(s) === key));
      await rules.apply();
      const want = compileProxyObjects([...services.values()], [...slices.values()], [], NODE_OPTS);
      const got = rules.table();
      assert.equal(renderTable(got), renderTable(want.table), `seed ${seed} step ${step}: the incremental table differs from a full compile`);
      assert.deepEqual(applier.elements, tableElements(want.table), `seed ${seed} step ${step}: the applier was sent other element changes`);
      assert.deepEqual(rules.problems(), want.problems, `seed ${seed} step ${step}: problems`);
    }
    assert.equal(applier.fulls, 1, 'one full apply, then only changes');
  }
});

test('a contested address passes to the next Service when its holder goes', async () => {
  const applier = new ModelApplier();
  const rules = new ProxyRules(NODE_OPTS, applier);
  const a = svc('a', { clusterIP: '10.96.2.1', externalIPs: ['192.168.9.9'], ports: [{ protocol: 'TCP', port: 80 }] });
  const b = svc('b', { clusterIP: '10.96.2.2', externalIPs: ['192.168.9.9'], ports: [{ protocol: 'TCP', port: 80 }] });
  rules.rebuild([a, b], [slice('a', [['', 'TCP', 8080]], [['10.244.1.1', 'n1']]), slice('b', [['', 'TCP', 8080]], [['10.244.1.2', 'n1']])]);
  await rules.apply();
  const dnat = () => [...applier.elements.get('service-ips-1-dnat')!].filter(([k]) => k.startsWith('192.168.9.9'));
  assert.deepEqual(dnat(), [['192.168.9.9 . tcp . 80 . 0', '10.244.1.1 . 8080']]);
  assert.match(rules.problems()[0].message, /192\.168\.9\.9 \. tcp \. 80 is already used by Service default\/a/);
  rules.update('default/a', undefined, []);
  await rules.apply();
  assert.deepEqual(dnat(), [['192.168.9.9 . tcp . 80 . 0', '10.244.1.2 . 8080']]);
  assert.deepEqual(rules.problems(), []);
});

test('on real nft: a series of incremental transactions leaves the kernel with the full table', async (t) => {
  const ns = `knet-test-rules-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  t.after(() => execFileSync('ip', ['netns', 'del', ns]));
  const applier = new NftApplier({ netns: ns, table: 'knet-proxy', family: 'ip' });
  t.after(() => applier.close());
  // hairpinMode route: its rule (iifname wildcard, fib) must also read back the same.
  const rules = new ProxyRules({ ...NODE_OPTS, hairpinMode: 'route' }, applier);
  const { services, slices } = clusterObjects();
  rules.rebuild(services, slices);
  await rules.apply();
  const current = new Map(slices.map((s) => [s.metadata.name, s]));
  const rand = mulberry32(7);
  const mode: string[] = [];
  for (let step = 0; step < 20; step++) {
    // Endpoints come and go for web (2 -> 3 -> 1 ...), creating and emptying groups; affinity too.
    for (const name of ['web', 'aff', 'lb']) {
      const n = Math.floor(rand() * 4);
      const eps: [string, string][] = Array.from({ length: n }, (_, i) => [`10.244.${1 + (i % 2)}.${50 + i + step}`, i % 2 ? 'n2' : 'n1']);
      const s = slice(name, name === 'web' ? [['http', 'TCP', 8080], ['metrics', 'TCP', 9100]] : [['', 'TCP', 8080]], eps);
      current.set(s.metadata.name, s);
      rules.update(`default/${name}`, services.find((x) => x.metadata.name === name), [s]);
    }
    const r = (await rules.apply()) as { mode: string };
    mode.push(r.mode);
    const drift = await rules.verify();
    assert.ok(drift.inSync, `step ${step}: ${drift.differences.slice(0, 5).join('; ')}`);
  }
  assert.ok(mode.every((m) => m === 'incremental'), mode.join(' '));
  // A change compiled but not applied yet is not drift: verify compares with what was sent.
  rules.update('default/web', services.find((x) => x.metadata.name === 'web'), [slice('web', [['http', 'TCP', 8080]], [['10.244.1.99', 'n1']])]);
  rules.update('default/newcomer', svc('newcomer', { clusterIP: '10.96.9.9', ports: [{ protocol: 'TCP', port: 80 }] }), []);
  const pending = await rules.verify();
  assert.ok(pending.inSync, `pending changes are not drift: ${pending.differences.slice(0, 3).join('; ')}`);
  await rules.apply();
  const after = await rules.verify();
  assert.ok(after.inSync, after.differences.slice(0, 3).join('; '));
});
