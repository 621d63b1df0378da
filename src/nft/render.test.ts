import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Table } from './model.ts';
import { NftApplier, nftErrors, planUpdate, renderTable, renderUpdate } from './index.ts';

function small(): Table {
  return {
    family: 'ip',
    name: 'knet-proxy',
    sets: [{ name: 'svc-1', typeof: 'ip daddr . meta l4proto . th dport', elements: ['10.96.0.10 . udp . 53', '10.96.0.11 . tcp . 80'] }],
    maps: [
      { name: 'dnat-1', typeofKey: 'ip daddr . meta l4proto . th dport . numgen random mod 1', typeofValue: 'ip daddr . th dport', elements: [['10.96.0.10 . udp . 53 . 0', '10.244.1.5 . 53']] },
      { name: 'service-ips', typeofKey: 'ip daddr . meta l4proto . th dport', typeofValue: 'verdict', elements: [['10.96.0.20 . tcp . 80', 'goto svc-a']] },
    ],
    chains: [
      { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: 'dstnat' }, rules: [{ text: 'ip daddr . meta l4proto . th dport vmap @service-ips' }] },
      { name: 'svc-a', rules: [{ text: 'counter', comment: 'a' }] },
    ],
  };
}

const lines = (s: string) => s.split('\n').filter((l) => l && !l.startsWith('#'));

describe('renderTable', () => {
  it('replaces the table atomically: add, delete, then the full definition', () => {
    const s = renderTable(small());
    const l = lines(s);
    assert.deepEqual(l.slice(0, 3), ['table ip knet-proxy {}', 'delete table ip knet-proxy', 'table ip knet-proxy {']);
    assert.ok(l.includes('  chain nat-prerouting { type nat hook prerouting priority dstnat; }'));
    assert.ok(l.includes('add element ip knet-proxy service-ips { 10.96.0.20 . tcp . 80 : goto svc-a }'));
    assert.ok(l.includes('add rule ip knet-proxy svc-a counter comment "a"'));
    // Declarations come before any element or rule that refers to them.
    assert.ok(l.indexOf('}') < l.findIndex((x) => x.startsWith('add ')));
  });

  it('splits large element lists into bounded statements', () => {
    const t = small();
    t.sets[0].elements = Array.from({ length: 2500 }, (_, i) => `10.96.${i >> 8}.${i & 255} . tcp . 80`);
    const adds = lines(renderTable(t)).filter((x) => x.startsWith('add element ip knet-proxy svc-1 '));
    assert.equal(adds.length, 3);
    assert.equal(adds[0].split(', ').length, 1000);
    assert.equal(adds[2].split(', ').length, 500);
  });

  it('makes comments safe: no double quotes, no newlines, at most 128 bytes', () => {
    const t = small();
    t.chains[1].rules[0].comment = 'say "hi"\nnow ' + 'é'.repeat(100);
    const rule = lines(renderTable(t)).find((x) => x.startsWith('add rule ip knet-proxy svc-a'))!;
    const comment = /comment "(.*)"$/.exec(rule)![1];
    assert.ok(comment.startsWith("say 'hi' now é"));
    assert.ok(Buffer.byteLength(comment) <= 128 && Buffer.byteLength(comment) >= 126);
  });

  it('refuses names nft cannot parse and rule text that would end the command', () => {
    const t = small();
    t.chains[1].name = 'svc a';
    assert.throws(() => renderTable(t), { code: 'nft-bad-model', message: /"svc a" is not an nft identifier/ });
    const u = small();
    u.chains[1].rules.push({ text: 'counter; flush ruleset' });
    assert.throws(() => renderTable(u), { code: 'nft-bad-model' });
    const v = small();
    v.maps[0].elements.push(['10.96.0.10 . udp . 53 . 0', '10.244.1.6 . 53']);
    assert.throws(() => renderTable(v), { message: /twice with different values/ });
  });
});

describe('renderUpdate', () => {
  it('is empty when nothing changed', () => {
    assert.equal(renderUpdate(small(), small()), '');
  });

  it('adds and deletes only the elements that changed; a map value change is delete + add', () => {
    const next = small();
    next.sets[0].elements = ['10.96.0.10 . udp . 53', '10.96.0.12 . tcp . 443'];
    next.maps[0].elements = [['10.96.0.10 . udp . 53 . 0', '10.244.2.9 . 53']];
    assert.deepEqual(lines(renderUpdate(small(), next)), [
      'delete element ip knet-proxy svc-1 { 10.96.0.11 . tcp . 80 }',
      'delete element ip knet-proxy dnat-1 { 10.96.0.10 . udp . 53 . 0 }',
      'add element ip knet-proxy svc-1 { 10.96.0.12 . tcp . 443 }',
      'add element ip knet-proxy dnat-1 { 10.96.0.10 . udp . 53 . 0 : 10.244.2.9 . 53 }',
    ]);
  });

  it('creates before use, flushes changed chains, deletes vanished objects last', () => {
    const next = small();
    next.chains = [
      { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: 'dstnat' }, rules: [{ text: 'ip daddr . meta l4proto . th dport vmap @service-ips', comment: 'dispatch' }] },
      { name: 'svc-b', rules: [{ text: 'ip saddr @aff-b counter' }] },
    ];
    next.sets.push({ name: 'aff-b', type: 'ipv4_addr', flags: ['dynamic', 'timeout'], timeout: '10800s', elements: [] });
    next.maps = [next.maps[1]];
    next.maps[0].elements = [['10.96.0.20 . tcp . 80', 'goto svc-b']];
    const plan = planUpdate(small(), next);
    assert.equal(plan.mode, 'incremental');
    assert.deepEqual(lines(plan.script), [
      'add set ip knet-proxy aff-b { type ipv4_addr; flags dynamic, timeout; timeout 10800s; }',
      'add chain ip knet-proxy svc-b',
      'flush chain ip knet-proxy nat-prerouting',
      'flush chain ip knet-proxy svc-a',
      'delete element ip knet-proxy service-ips { 10.96.0.20 . tcp . 80 }',
      'add element ip knet-proxy service-ips { 10.96.0.20 . tcp . 80 : goto svc-b }',
      'add rule ip knet-proxy nat-prerouting ip daddr . meta l4proto . th dport vmap @service-ips comment "dispatch"',
      'add rule ip knet-proxy svc-b ip saddr @aff-b counter',
      'delete map ip knet-proxy dnat-1',
      'delete chain ip knet-proxy svc-a',
    ]);
    assert.equal(renderUpdate(small(), next), plan.script, 'deterministic');
  });

  it('falls back to the full replace when a declaration changes', () => {
    const next = small();
    next.sets[0].flags = ['interval'];
    const plan = planUpdate(small(), next);
    assert.equal(plan.mode, 'full');
    assert.match(plan.reason!, /set svc-1 declaration changed/);
    assert.equal(plan.script, renderTable(next));
    const prio = small();
    prio.chains[0].base!.priority = 'dstnat - 10';
    assert.equal(planUpdate(small(), prio).mode, 'full');
  });

  it('costs in proportion to the change, not the table', () => {
    const big = small();
    big.sets[0].elements = Array.from({ length: 20000 }, (_, i) => `10.96.${i >> 8}.${i & 255} . tcp . 80`);
    const next = structuredClone(big);
    next.sets[0].elements[5] = '10.100.0.1 . tcp . 80';
    const script = renderUpdate(big, next);
    assert.ok(script.length < 300, script);
  });
});

describe('nftErrors', () => {
  it('keeps error lines and a cut-down offending line, not the carets', () => {
    const stderr = '/dev/stdin:3:40-49: Error: Could not process rule: No such file or directory\n' +
      `add rule ip knet-proxy svc-a ip saddr @missing ${'x'.repeat(300)}\n` + '                    ^^^^^^^^^\n';
    const out = nftErrors(stderr);
    assert.match(out, /^\/dev\/stdin:3:40-49: Error: Could not process rule: No such file or directory\n  in: add rule/);
    assert.ok(!out.includes('^^^'));
    assert.ok(out.length < 400);
  });
});

describe('NftApplier with a fake nft', () => {
  it('applies fully first, then incrementally, and fully again after a failure', async () => {
    const scripts: string[] = [];
    let fail = false;
    const a = new NftApplier({
      netns: 'knet-none', table: 'knet-proxy', family: 'ip',
      run: async (s) => { scripts.push(s); if (fail) throw new Error('Error: boom'); },
    });
    assert.equal((await a.apply(small())).mode, 'full');
    const next = small();
    next.sets[0].elements.push('10.96.0.99 . tcp . 80');
    const r = await a.apply(next);
    assert.equal(r.mode, 'incremental');
    assert.equal(r.bytes, Buffer.byteLength(scripts[1]));
    fail = true;
    const broken = structuredClone(next);
    broken.sets[0].elements.pop();
    await assert.rejects(a.apply(broken), { code: 'nft-failed', message: /boom/ });
    fail = false;
    assert.equal((await a.apply(broken)).mode, 'full');
    await assert.rejects(a.apply({ ...small(), name: 'other' }), { code: 'nft-bad-model' });
  });

  it('does not run nft when nothing changed', async () => {
    let runs = 0;
    const a = new NftApplier({ netns: 'knet-none', table: 'knet-proxy', family: 'ip', run: async () => { runs++; } });
    await a.apply(small());
    const r = await a.apply(small());
    assert.deepEqual([r.mode, r.bytes, runs], ['incremental', 0, 1]);
  });
});
