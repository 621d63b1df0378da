import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage } from './decode.ts';
import { encodeMessage, fullRcode } from './encode.ts';
import { DnsEncodeError, DnsFormatError } from './errors.ts';
import type { DnsMessage, ResourceRecord } from './types.ts';
import { newQuery } from './query.ts';

function message(over: Partial<DnsMessage> = {}): DnsMessage {
  return {
    ...newQuery('web.ns1.svc.cluster.local', 1, { id: 0xbeef, qr: true, aa: true }),
    answers: [],
    authority: [],
    additional: [],
    ...over,
  };
}

function a(name: string, address: string, ttl = 30): ResourceRecord {
  return { name, type: 1, class: 1, ttl, data: { type: 1, address } };
}

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

function formatError(buf: Uint8Array): DnsFormatError {
  try {
    decodeMessage(buf);
  } catch (err) {
    assert.ok(err instanceof DnsFormatError, `want DnsFormatError, got ${String(err)}`);
    return err;
  }
  assert.fail('decoded without error');
}

const HEADER_ONE_Q = '1234 0100 0001 0000 0000 0000';

describe('round trip', () => {
  it('keeps every typed record, unknown types and EDNS', () => {
    const m = message({
      rcode: 3,
      ad: true,
      cd: true,
      answers: [
        a('Web.NS1.svc.cluster.local', '10.96.0.5'),
        { name: 'web.ns1.svc.cluster.local', type: 28, class: 1, ttl: 30, data: { type: 28, address: 'fd00:10:96::5' } },
        { name: 'ext.ns1.svc.cluster.local', type: 5, class: 1, ttl: 30, data: { type: 5, target: 'example.com' } },
        { name: '_http._tcp.web.ns1.svc.cluster.local', type: 33, class: 1, ttl: 30, data: { type: 33, priority: 0, weight: 100, port: 80, target: 'web.ns1.svc.cluster.local' } },
        { name: 'dns-version.cluster.local', type: 16, class: 1, ttl: 28800, data: { type: 16, texts: ['1.1.0', '', 'ünïcode'] } },
        { name: '10.0.96.10.in-addr.arpa', type: 12, class: 1, ttl: 30, data: { type: 12, target: 'kube-dns.kube-system.svc.cluster.local' } },
        { name: 'cluster.local', type: 2, class: 1, ttl: 30, data: { type: 2, target: 'ns.dns.cluster.local' } },
        { name: 'mail.test', type: 15, class: 1, ttl: 30, data: { type: 15, preference: 10, exchange: 'mx.mail.test' } },
        { name: 'x.test', type: 99, class: 1, ttl: 7, data: { type: 99, raw: Uint8Array.from([1, 2, 3]) } },
        { name: 'h.test', type: 13, class: 1, ttl: 7, data: { type: 13, raw: Uint8Array.from([3, 0x61, 0x62, 0x63, 0]) } },
        { name: 'odd\\.label\\000.test', type: 1, class: 3, ttl: 0xffffffff, data: { type: 1, address: '0.0.0.0' } },
      ],
      authority: [
        { name: 'cluster.local', type: 6, class: 1, ttl: 5, data: { type: 6, mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 4294967295, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 } },
      ],
      additional: [a('web.ns1.svc.cluster.local', '10.96.0.6')],
      edns: { udpPayloadSize: 4096, extendedRcode: 0, version: 0, dnssecOk: true, options: [{ code: 10, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }] },
    });
    assert.deepEqual(decodeMessage(encodeMessage(m)), m);
  });

  it('keeps a 12-bit rcode across header and OPT', () => {
    const m = message({ rcode: 16, edns: { udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: false, options: [] } });
    const back = decodeMessage(encodeMessage(m));
    assert.equal(back.rcode, 0);
    assert.equal(back.edns?.extendedRcode, 1);
    assert.equal(fullRcode(back), 16);
    assert.throws(() => encodeMessage(message({ rcode: 16 })), DnsEncodeError);
  });

  it('keeps TXT that is not UTF-8 as raw octets', () => {
    const m = message({ answers: [{ name: 't.test', type: 16, class: 1, ttl: 1, data: { type: 16, raw: Uint8Array.from([2, 0xff, 0xfe]) } }] });
    const back = decodeMessage(encodeMessage(m));
    assert.deepEqual(back.answers[0].data, { type: 16, raw: Uint8Array.from([2, 0xff, 0xfe]) });
  });

  it('refuses records it cannot write', () => {
    assert.throws(() => encodeMessage(message({ answers: [a('x', '10.0.0.256')] })), /not IPv4/);
    assert.throws(() => encodeMessage(message({ answers: [{ ...a('x', '1.2.3.4'), type: 28 }] })), /carries data of type 1/);
    assert.throws(() => encodeMessage(message({ answers: [a('a..b', '1.2.3.4')] })), /empty label/);
    const txt = { name: 't', type: 16, class: 1, ttl: 1, data: { type: 16 as const, texts: ['x'.repeat(256)] } };
    assert.throws(() => encodeMessage(message({ answers: [txt] })), /exceeds 255/);
  });
});

describe('compression (RFC 1035 §4.1.4)', () => {
  it('writes a query exactly and points the answer owner at the question', () => {
    const m = message({ id: 0x1234, answers: [a('web.ns1.svc.cluster.local', '10.96.0.5')] });
    const wire = encodeMessage(m);
    const expected =
      '1234 8500 0001 0001 0000 0000' +
      '03776562 036e7331 03737663 07636c7573746572 056c6f63616c 00 0001 0001' +
      'c00c 0001 0001 0000001e 0004 0a600005';
    assert.equal(Buffer.from(wire).toString('hex'), expected.replace(/\s+/g, ''));
  });

  it('points at the longest known suffix, inside RDATA too, but never in an SRV target', () => {
    const m = message({
      answers: [
        { name: 'web.ns1.svc.cluster.local', type: 5, class: 1, ttl: 1, data: { type: 5, target: 'db.ns1.svc.cluster.local' } },
        { name: '_p._tcp.web.ns1.svc.cluster.local', type: 33, class: 1, ttl: 1, data: { type: 33, priority: 0, weight: 0, port: 1, target: 'web.ns1.svc.cluster.local' } },
      ],
    });
    const wire = encodeMessage(m);
    const h = Buffer.from(wire).toString('hex');
    // CNAME target: "db" + pointer to "ns1.svc.cluster.local" at offset 16
    assert.ok(h.includes('026462c010'), h);
    // SRV target written out in full even though the question holds it
    const srvTarget = '03776562036e73310373766307636c7573746572056c6f63616c00';
    assert.equal(h.split(srvTarget).length - 1, 2, 'question + SRV target in full');
    assert.deepEqual(decodeMessage(wire), m);
    // uncompressed the same message would need 2 more full copies of the long suffix
    assert.ok(wire.length < 140, `compressed size ${wire.length}`);
  });

  it('compresses case-sensitively so each owner keeps its spelling', () => {
    const m = message({ answers: [a('WEB.ns1.svc.cluster.local', '10.0.0.1'), a('web.ns1.svc.cluster.local', '10.0.0.2')] });
    const back = decodeMessage(encodeMessage(m));
    assert.equal(back.answers[0].name, 'WEB.ns1.svc.cluster.local');
    assert.equal(back.answers[1].name, 'web.ns1.svc.cluster.local');
  });

  it('decodes pointers chained backwards and pointers inside RDATA', () => {
    // q: a.b (12) ; answer owner at 21: "c" + ptr->12 ; CNAME target: ptr->owner (21)
    const buf = hex(
      '0001 8000 0001 0001 0000 0000' +
        '0161 0162 00 0001 0001' + // name 12..16, type and class to 20
        '0163 c00c 0005 0001 00000001 0002 c015',
    );
    const m = decodeMessage(buf);
    assert.equal(m.answers[0].name, 'c.a.b');
    assert.deepEqual(m.answers[0].data, { type: 5, target: 'c.a.b' });
  });
});

describe('truncation', () => {
  const many = (n: number, name = 'big.test') => Array.from({ length: n }, (_, i) => a(name, `10.0.${i >> 8}.${i & 255}`));
  const opt = { udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: false, options: [] };

  it('drops whole answers that do not fit, sets TC and keeps the OPT record', () => {
    const m = message({ questions: [{ name: 'big.test', type: 1, class: 1 }], answers: many(100), edns: opt });
    const wire = encodeMessage(m, { maxSize: 512 });
    assert.ok(wire.length <= 512, `${wire.length}`);
    const back = decodeMessage(wire);
    assert.equal(back.tc, true);
    assert.ok(back.edns, 'OPT kept');
    // 12 header + 14 question + 11 OPT leave 475 octets: 29 answers of 16 octets (first owner compressed)
    assert.equal(back.answers.length, 29);
    assert.deepEqual(back.answers, m.answers.slice(0, 29));
    const full = decodeMessage(encodeMessage(m));
    assert.equal(full.tc, false);
    assert.equal(full.answers.length, 100);
  });

  it('loses additional records before authority before answers', () => {
    const soa = { name: 'test', type: 6, class: 1, ttl: 5, data: { type: 6 as const, mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } };
    const m = message({ questions: [{ name: 'big.test', type: 1, class: 1 }], answers: many(20), authority: [soa], additional: many(40, 'glue.test') });
    const back = decodeMessage(encodeMessage(m, { maxSize: 512 }));
    assert.equal(back.tc, true);
    assert.equal(back.answers.length, 20);
    assert.equal(back.authority.length, 1);
    assert.ok(back.additional.length > 0 && back.additional.length < 40, `${back.additional.length}`);
    assert.deepEqual(back.additional, m.additional.slice(0, back.additional.length));
  });

  it('sets TC even when only additional records were left out (as miekg/dns does)', () => {
    const m = message({ questions: [{ name: 'big.test', type: 1, class: 1 }], answers: many(1), additional: many(60, 'glue.test') });
    const back = decodeMessage(encodeMessage(m, { maxSize: 512 }));
    assert.equal(back.tc, true);
    assert.equal(back.answers.length, 1);
  });

  it('treats budgets under 512 as 512 and leaves fitting messages alone', () => {
    const m = message({ questions: [{ name: 'big.test', type: 1, class: 1 }], answers: many(20) });
    const back = decodeMessage(encodeMessage(m, { maxSize: 100 }));
    assert.equal(back.tc, false);
    assert.equal(back.answers.length, 20);
  });
});

describe('malformed messages', () => {
  it('a short header carries the id when two octets were there', () => {
    const e = formatError(hex('abcd01'));
    assert.equal(e.reason, 'short-header');
    assert.equal(e.id, 0xabcd);
    assert.equal(e.header, undefined);
    assert.equal(formatError(hex('ab')).id, undefined);
    assert.equal(formatError(new Uint8Array(0)).reason, 'short-header');
  });

  it('a question count beyond the data fails as truncated, carrying the header', () => {
    const e = formatError(hex('1234 0100 0002 0000 0000 0000 0161 00 0001 0001'));
    assert.equal(e.reason, 'truncated');
    assert.equal(e.header?.id, 0x1234);
    assert.equal(e.header?.rd, true);
    assert.deepEqual(e.question, { name: 'a', type: 1, class: 1 });
    assert.equal(formatError(hex(HEADER_ONE_Q + '0161 00 0001')).reason, 'truncated');
    assert.equal(formatError(hex(HEADER_ONE_Q + '0561 6263')).reason, 'truncated');
  });

  it('rejects extended and reserved label types', () => {
    assert.equal(formatError(hex(HEADER_ONE_Q + '41' + '61'.repeat(65) + '00 0001 0001')).reason, 'bad-label');
    assert.equal(formatError(hex(HEADER_ONE_Q + '8001 00 0001 0001')).reason, 'bad-label');
  });

  it('rejects names over 255 octets', () => {
    const label = '3f' + '61'.repeat(63);
    assert.equal(formatError(hex(HEADER_ONE_Q + label.repeat(4) + '00 0001 0001')).reason, 'name-too-long');
    // through pointers too: each answer adds 64 octets in front of the previous owner
    const q = '3f' + '61'.repeat(63) + '00 0001 0001'; // offset 12, 65 octets + 4
    let body = q;
    let prev = 12;
    let at = 12 + 69;
    const recs: string[] = [];
    for (let i = 0; i < 4; i++) {
      recs.push(label + 'c0' + prev.toString(16).padStart(2, '0') + '0001 0001 00000001 0004 01020304');
      prev = at;
      at += 64 + 2 + 14;
    }
    body += recs.join('');
    const e = formatError(hex('1234 8100 0001 0004 0000 0000' + body));
    assert.equal(e.reason, 'name-too-long');
  });

  it('rejects pointer loops and forward pointers', () => {
    assert.equal(formatError(hex(HEADER_ONE_Q + 'c00c 0001 0001')).reason, 'bad-pointer');
    assert.equal(formatError(hex(HEADER_ONE_Q + 'c010 0001 0001 00')).reason, 'bad-pointer');
    // a -> pointer back into its own run ("a" at 12, pointer at 14 -> 12)
    assert.equal(formatError(hex(HEADER_ONE_Q + '0161 c00c 0001 0001')).reason, 'bad-pointer');
    // two names pointing at each other: answer owner at 29 points to 12, which points to 29
    assert.equal(formatError(hex('1234 8100 0001 0001 0000 0000 c01d 0001 0001 c00c 0001 0001 00000001 0004 01020304')).reason, 'bad-pointer');
  });

  it('rejects RDATA that does not match its type or length', () => {
    const rr = (type: string, rdata: string, rdlen?: number) =>
      hex('1234 8100 0000 0001 0000 0000 0161 00' + type + '0001 00000001' + (rdlen ?? rdata.replace(/\s/g, '').length / 2).toString(16).padStart(4, '0') + rdata);
    assert.equal(formatError(rr('0001', '01020304 05')).reason, 'bad-rdata');
    assert.equal(formatError(rr('001c', '01020304')).reason, 'bad-rdata');
    assert.equal(formatError(rr('0005', '0162 00 ff')).reason, 'bad-rdata');
    assert.equal(formatError(rr('0005', '0362 00')).reason, 'truncated');
    assert.equal(formatError(rr('0010', '0561 62')).reason, 'bad-rdata');
    assert.equal(formatError(rr('0021', '0001 0002')).reason, 'bad-rdata');
    assert.equal(formatError(rr('0006', '00 00 0000')).reason, 'bad-rdata');
    assert.equal(formatError(rr('0001', '0102', 4)).reason, 'truncated');
    assert.equal(formatError(rr('0063', '', 1)).reason, 'truncated');
  });

  it('enforces the OPT rules of RFC 6891 §6.1.1', () => {
    const opt = '00 0029 1000 00000000 0000';
    const base = (an: number, ar: number, recs: string) =>
      hex(`1234 0100 0001 ${an.toString(16).padStart(4, '0')} 0000 ${ar.toString(16).padStart(4, '0')} 0161 00 0001 0001 ${recs}`);
    assert.equal(decodeMessage(base(0, 1, opt)).edns?.udpPayloadSize, 4096);
    assert.equal(formatError(base(1, 0, opt)).reason, 'bad-opt');
    assert.equal(formatError(base(0, 2, opt + opt)).reason, 'bad-opt');
    assert.equal(formatError(base(0, 1, '0161 00 0029 1000 00000000 0000')).reason, 'bad-opt');
    assert.equal(formatError(base(0, 1, '00 0029 1000 00000000 0005 000a 0004 01')).reason, 'bad-opt');
    const e = formatError(base(0, 2, opt + opt));
    assert.equal(e.header?.id, 0x1234);
    assert.deepEqual(e.question, { name: 'a', type: 1, class: 1 });
  });

  it('reads EDNS version, DO and extended rcode from the OPT TTL', () => {
    const m = decodeMessage(hex('1234 0100 0001 0000 0000 0001 0161 00 0001 0001 00 0029 04d0 01028000 0000'));
    assert.deepEqual(m.edns, { udpPayloadSize: 1232, extendedRcode: 1, version: 2, dnssecOk: true, options: [] });
    assert.equal(m.additional.length, 0);
  });

  it('ignores octets after the last record', () => {
    const m = decodeMessage(hex(HEADER_ONE_Q + '0161 00 0001 0001 deadbeef'));
    assert.equal(m.questions[0].name, 'a');
  });
});
