import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DnsEncodeError } from './errors.ts';
import {
  bytesToLabel,
  ipFromReverseName,
  isSubdomain,
  labelToBytes,
  nameEquals,
  nameToLabelBytes,
  reverseIPv4,
  reverseIPv6,
  reverseName,
  splitLabels,
  toLowerName,
} from './names.ts';

describe('splitLabels', () => {
  it('splits on unescaped dots only and tolerates a trailing dot', () => {
    assert.deepEqual(splitLabels('web.ns1.svc.cluster.local'), ['web', 'ns1', 'svc', 'cluster', 'local']);
    assert.deepEqual(splitLabels('web.ns1.'), ['web', 'ns1']);
    assert.deepEqual(splitLabels('a\\.b.example'), ['a\\.b', 'example']);
    assert.deepEqual(splitLabels('a\\\\.b'), ['a\\\\', 'b']);
    assert.deepEqual(splitLabels('odd\\.'), ['odd\\.']);
  });
  it('gives no labels for the root', () => {
    assert.deepEqual(splitLabels(''), []);
    assert.deepEqual(splitLabels('.'), []);
  });
  it('rejects empty labels', () => {
    assert.throws(() => splitLabels('a..b'), DnsEncodeError);
    assert.throws(() => splitLabels('.a'), DnsEncodeError);
  });
});

describe('label escapes', () => {
  it('maps escapes to octets and back canonically', () => {
    assert.deepEqual([...labelToBytes('a\\.b')], [0x61, 0x2e, 0x62]);
    assert.deepEqual([...labelToBytes('\\000x\\255')], [0, 0x78, 255]);
    assert.deepEqual([...labelToBytes('\\A')], [0x41]);
    assert.equal(bytesToLabel(Uint8Array.from([0x61, 0x2e, 0x62])), 'a\\.b');
    assert.equal(bytesToLabel(Uint8Array.from([0x5c, 0x20, 0, 0xff])), '\\\\\\032\\000\\255');
    assert.equal(bytesToLabel(labelToBytes('_http')), '_http');
  });
  it('rejects bad escapes', () => {
    assert.throws(() => labelToBytes('a\\'), DnsEncodeError);
    assert.throws(() => labelToBytes('\\256'), DnsEncodeError);
  });
  it('enforces 63 octets a label and 255 a name', () => {
    assert.equal(nameToLabelBytes(`${'a'.repeat(63)}.b`).length, 2);
    assert.throws(() => nameToLabelBytes(`${'a'.repeat(64)}.b`), /63 octets/);
    // 4 labels of 63 = 4*64 + 1 = 257 octets on the wire
    const long = Array(4).fill('a'.repeat(63)).join('.');
    assert.throws(() => nameToLabelBytes(long), /255 octets/);
    const fits = [...Array(3).fill('a'.repeat(63)), 'a'.repeat(61)].join('.'); // 3*64 + 62 + 1 = 255
    assert.equal(nameToLabelBytes(fits).length, 4);
    // an escape counts as one octet
    assert.equal(nameToLabelBytes(`${'\\046'.repeat(63)}`)[0].length, 63);
  });
});

describe('comparisons', () => {
  it('fold ASCII case only and ignore a trailing dot', () => {
    assert.equal(toLowerName('Web.NS1.Svc.'), 'web.ns1.svc');
    assert.ok(nameEquals('WEB.ns1', 'web.NS1.'));
    assert.ok(!nameEquals('web.ns1', 'web.ns2'));
    assert.equal(toLowerName('ÄB.c'), 'Äb.c');
  });
  it('treat different escape spellings of the same octets as equal', () => {
    assert.ok(nameEquals('a\\.b.c', 'a\\046B.c'));
    assert.ok(!nameEquals('a\\.b.c', 'a.b.c'));
  });
  it('isSubdomain is label-aligned', () => {
    assert.ok(isSubdomain('web.ns1.svc.cluster.local', 'cluster.local'));
    assert.ok(isSubdomain('Cluster.Local', 'cluster.local'));
    assert.ok(isSubdomain('anything', ''));
    assert.ok(!isSubdomain('xcluster.local', 'cluster.local'));
    assert.ok(!isSubdomain('local', 'cluster.local'));
    assert.ok(!isSubdomain('a\\.cluster.local', 'cluster.local'));
    assert.ok(isSubdomain('x.a\\.cluster.local', 'a\\.cluster.local'));
  });
});

describe('reverse names', () => {
  it('IPv4 to in-addr.arpa and back', () => {
    assert.equal(reverseIPv4('10.96.0.10'), '10.0.96.10.in-addr.arpa');
    assert.equal(ipFromReverseName('10.0.96.10.IN-ADDR.ARPA'), '10.96.0.10');
    assert.equal(ipFromReverseName('0.96.10.in-addr.arpa'), undefined);
    assert.equal(ipFromReverseName('300.0.96.10.in-addr.arpa'), undefined);
    assert.throws(() => reverseIPv4('10.96.0'), DnsEncodeError);
  });
  it('IPv6 to ip6.arpa nibbles and back, in RFC 5952 form', () => {
    const r = reverseIPv6('fd00:10:96::a');
    assert.equal(r, 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa');
    assert.equal(ipFromReverseName(r), 'fd00:10:96::a');
    assert.equal(ipFromReverseName(reverseIPv6('2001:DB8:0:0:1:0:0:1')), '2001:db8::1:0:0:1');
    assert.equal(ipFromReverseName(reverseIPv6('::ffff:10.1.2.3')), '::ffff:a01:203');
    assert.equal(ipFromReverseName('0.d.f.ip6.arpa'), undefined);
    assert.equal(reverseName('10.0.0.1'), '1.0.0.10.in-addr.arpa');
    assert.ok(reverseName('::1').startsWith('1.0.0.0'));
    assert.throws(() => reverseIPv6('1:::2'), DnsEncodeError);
  });
});
