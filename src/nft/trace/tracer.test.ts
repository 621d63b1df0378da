import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Table } from '../model.ts';
import { PacketTracer, priorityValue, tracePacket } from './tracer.ts';
import { parseRule } from './parse.ts';

const table = (chains: Table['chains'], sets: Table['sets'] = [], maps: Table['maps'] = []): Table =>
  ({ family: 'ip', name: 't', chains, sets, maps });
const local = ['172.18.0.2'];

test('named priorities and offsets order base chains as nft does', () => {
  assert.equal(priorityValue('dstnat - 10'), -110);
  assert.equal(priorityValue('srcnat'), 100);
  assert.equal(priorityValue(-90), -90);
  assert.throws(() => priorityValue('later'));
});

test('unknown syntax throws instead of being traced wrongly', () => {
  assert.throws(() => parseRule('oifname "eth0" accept'), /tracer cannot read rule/);
  assert.throws(() => parseRule('tcp dport 80 accept'), /tracer cannot read rule/);
  assert.throws(() => tracePacket(table([{ name: 'c', base: { type: 'filter', hook: 'input', priority: 0 }, rules: [{ text: 'ip saddr 1.2.3.4 log' }] }]),
    { src: '1.2.3.4', dst: '172.18.0.2', proto: 'tcp', dport: 1, localAddrs: local }), /unknown token "log"/);
});

test('prefixes, negation, sets and verdict maps; jump returns, goto does not', () => {
  const t = table([
    { name: 'in', base: { type: 'filter', hook: 'input', priority: 0, policy: 'accept' }, rules: [
      { text: 'jump sub' },
      { text: 'ip saddr != 10.0.0.0/8 ip daddr . meta l4proto . th dport vmap @v' },
      { text: 'meta l4proto { tcp, udp } th dport 22 reject with tcp reset' },
    ] },
    { name: 'sub', rules: [{ text: 'ip saddr 10.1.0.0/16 return' }, { text: 'ip saddr @bad drop' }] },
    { name: 'rej', rules: [{ text: 'reject' }] },
  ], [{ name: 'bad', type: 'ipv4_addr', elements: ['10.2.0.1'] }],
  [{ name: 'v', type: 'x', elements: [['172.18.0.2 . udp . 53', 'goto rej']] }]);
  const tr = (src: string, proto: 'tcp' | 'udp', dport: number) => tracePacket(t, { src, dst: '172.18.0.2', proto, dport, localAddrs: local });
  assert.equal(tr('10.1.2.3', 'tcp', 80).verdict, 'accept');
  assert.equal(tr('10.2.0.1', 'tcp', 80).verdict, 'drop');
  assert.equal(tr('192.168.1.1', 'udp', 53).verdict, 'reject');
  assert.equal(tr('192.168.1.1', 'udp', 53).rejectWith, 'icmp port-unreachable');
  assert.equal(tr('10.3.0.1', 'udp', 53).verdict, 'accept');
  assert.equal(tr('10.3.0.1', 'tcp', 22).rejectWith, 'tcp reset');
});

test('numgen picks a slot from the stubbed random source; dnat re-routes; marks drive masquerade', () => {
  const t = table([
    { name: 'pre', base: { type: 'nat', hook: 'prerouting', priority: 'dstnat' }, rules: [
      { text: 'ip daddr 10.96.0.1 meta mark set meta mark | 0x4000' },
      { text: 'ip daddr . meta l4proto . th dport @s dnat to ip daddr . meta l4proto . th dport . numgen random mod 2 map @m' },
    ] },
    { name: 'post', base: { type: 'nat', hook: 'postrouting', priority: 'srcnat' }, rules: [
      { text: 'meta mark & 0x4000 == 0 return' }, { text: 'masquerade fully-random' },
    ] },
  ], [{ name: 's', type: 'x', elements: ['10.96.0.1 . tcp . 80', '10.96.0.2 . tcp . 80'] }],
  [{ name: 'm', typeofKey: 'x', typeofValue: 'y', elements: [
    ['10.96.0.1 . tcp . 80 . 0', '10.244.1.1 . 8080'], ['10.96.0.1 . tcp . 80 . 1', '10.244.1.2 . 8080'],
    ['10.96.0.2 . tcp . 80 . 0', '172.18.0.2 . 9000'], ['10.96.0.2 . tcp . 80 . 1', '172.18.0.2 . 9000'],
  ] }]);
  const tracer = new PacketTracer(t);
  const r0 = tracer.trace({ src: '10.244.1.9', dst: '10.96.0.1', proto: 'tcp', dport: 80, localAddrs: local, random: () => 0 });
  const r1 = tracer.trace({ src: '10.244.1.9', dst: '10.96.0.1', proto: 'tcp', dport: 80, localAddrs: local, random: () => 1 / 2 ** 32 });
  assert.deepEqual([r0.dnat, r1.dnat], [{ addr: '10.244.1.1', port: 8080 }, { addr: '10.244.1.2', port: 8080 }]);
  assert.equal(r0.masquerade, true);
  assert.ok(r0.path.includes('hook forward') === false && r0.path.includes('hook postrouting'));
  const toHost = tracer.trace({ src: '10.244.1.9', dst: '10.96.0.2', proto: 'tcp', dport: 80, localAddrs: local });
  assert.equal(toHost.masquerade, false);
  assert.ok(!toHost.path.includes('hook postrouting'), 'a DNAT to a local address goes to input, not postrouting');
});

test('concatenated interval sets: prefixes and address ranges inside a key, matched with !=', () => {
  const t = table([
    { name: 'pre', base: { type: 'filter', hook: 'prerouting', priority: -110 }, rules: [
      { text: 'ip daddr . meta l4proto . th dport @fw ip daddr . meta l4proto . th dport . ip saddr != @allow drop' },
    ] },
  ], [
    { name: 'fw', type: 'x', elements: ['172.18.255.210 . tcp . 80'] },
    { name: 'allow', type: 'x', flags: ['interval'], elements: ['172.18.255.210 . tcp . 80 . 10.0.0.0/8', '172.18.255.210 . tcp . 80 . 192.168.1.10-192.168.1.20', '172.18.255.210 . tcp . 80 . 172.18.0.3'] },
  ]);
  const tr = (src: string, dport = 80) => tracePacket(t, { src, dst: '172.18.255.210', proto: 'tcp', dport, localAddrs: local }).verdict;
  assert.equal(tr('10.9.8.7'), 'accept');
  assert.equal(tr('192.168.1.15'), 'accept');
  assert.equal(tr('192.168.1.21'), 'drop');
  assert.equal(tr('172.18.0.3'), 'accept');
  assert.equal(tr('172.18.0.4'), 'drop');
  assert.equal(tr('172.18.0.4', 81), 'accept', 'a key outside @fw is not filtered');
});

test('iifname with a wildcard, and fib daddr . iif oif: a pod reaching itself goes back out of its own link', () => {
  const t = table([
    { name: 'fwd', base: { type: 'filter', hook: 'forward', priority: 0, policy: 'accept' }, rules: [
      { text: 'iifname "veth*" fib daddr . iif oif != 0 meta mark set 0x1' },
    ] },
  ]);
  const pod = (dst: string) => tracePacket(t, { src: '10.244.1.5', dst, proto: 'tcp', dport: 80, iif: 'pod', localAddrs: local, localPods: ['10.244.1.6'] });
  assert.equal(pod('10.244.1.5').mark, 1, 'back to itself');
  assert.equal(pod('10.244.1.6').mark, 0, 'another local pod');
  assert.equal(pod('10.244.2.7').mark, 0, 'a pod elsewhere');
  assert.equal(tracePacket(t, { src: '172.18.0.9', dst: '10.244.2.7', proto: 'tcp', dport: 80, iif: 'eth0', localAddrs: local }).mark, 0, 'not from a veth');
});
