import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage } from '../wire/decode.ts';
import { encodeMessage, fullRcode } from '../wire/encode.ts';
import type { DnsMessage, Edns, ResourceRecord } from '../wire/types.ts';
import { Rcode } from '../wire/types.ts';
import type { AnswerOptions, DnsClient, DnsErrorContext, LocalAnswer } from './answer-query.ts';
import { answerQuery } from './answer-query.ts';
import type { DnsRequest, DnsResponse } from './plugin.ts';
import { newQuery } from '../wire/query.ts';

const udp = { address: '127.0.0.1', port: 40000, transport: 'udp' as const };
const tcp = { ...udp, transport: 'tcp' as const };

function query(name: string, type = 1, over: Partial<DnsMessage> = {}): DnsMessage {
  return newQuery(name, type, { id: 0x4242, ...over });
}

const edns = (udpPayloadSize: number, over: Partial<Edns> = {}): Edns => ({ udpPayloadSize, extendedRcode: 0, version: 0, dnssecOk: false, options: [], ...over });

function aRecords(name: string, n: number): ResourceRecord[] {
  return Array.from({ length: n }, (_, i) => ({ name, type: 1, class: 1, ttl: 30, data: { type: 1 as const, address: `10.1.${i >> 8}.${i & 255}` } }));
}

/** A handler that records what it was given and answers with `n` A records. */
function fixed(n: number, seen: DnsRequest[] = []): AnswerOptions['handler'] {
  return async (req) => {
    seen.push(req);
    return { rcode: Rcode.NOERROR, aa: true, answers: aRecords(req.question.name, n), authority: [], additional: [] } satisfies DnsResponse;
  };
}

async function ask(msg: DnsMessage | Uint8Array, opts: Partial<AnswerOptions> = {}, client: DnsClient = udp): Promise<DnsMessage | undefined> {
  const bytes = msg instanceof Uint8Array ? msg : encodeMessage(msg);
  const out = await answerQuery(bytes, client, { handler: fixed(1), ...opts });
  return out && decodeMessage(out);
}

describe('answers', () => {
  it('echo id, opcode, RD, CD and the question as asked; set QR, leave RA clear', async () => {
    const r = await ask(query('Web.NS1.svc.cluster.local', 1, { cd: true }));
    assert.ok(r);
    assert.equal(r.id, 0x4242);
    assert.equal(r.qr, true);
    assert.equal(r.rd, true);
    assert.equal(r.cd, true);
    assert.equal(r.ra, false);
    assert.equal(r.aa, true);
    assert.deepEqual(r.questions, [{ name: 'Web.NS1.svc.cluster.local', type: 1, class: 1 }]);
    assert.equal(r.answers[0].name, 'Web.NS1.svc.cluster.local');
    assert.equal(r.edns, undefined, 'no OPT unless the query had one');
  });

  it('advertise our EDNS size and echo DO when the query had OPT', async () => {
    const r = await ask(query('a.test', 1, { edns: edns(4096, { dnssecOk: true, options: [{ code: 10, data: new Uint8Array(8) }] }) }), { ednsUdpSize: 1400 });
    assert.deepEqual(r?.edns, { udpPayloadSize: 1400, extendedRcode: 0, version: 0, dnssecOk: true, options: [] });
    const d = await ask(query('a.test', 1, { edns: edns(4096) }));
    assert.equal(d?.edns?.udpPayloadSize, 1232);
  });

  it('size the answer for the transport: 512 plain UDP, min(client, ours) with EDNS, 65535 on TCP', async () => {
    const sizes: [DnsMessage, DnsClient, number][] = [
      [query('a.test'), udp, 512],
      [query('a.test', 1, { edns: edns(4096) }), udp, 1232],
      [query('a.test', 1, { edns: edns(900) }), udp, 900],
      [query('a.test', 1, { edns: edns(100) }), udp, 512],
      [query('a.test'), tcp, 65535],
      [query('a.test', 1, { edns: edns(900) }), tcp, 65535],
    ];
    for (const [q, client, want] of sizes) {
      const seen: DnsRequest[] = [];
      await ask(q, { handler: fixed(1, seen) }, client);
      assert.equal(seen[0].maxSize, want, `${client.transport} ${q.edns?.udpPayloadSize ?? 'no EDNS'}`);
      assert.equal(seen[0].client.transport, client.transport);
    }
  });

  it('truncate large answers with TC on UDP and not on TCP', async () => {
    const big = { handler: fixed(200) };
    const plain = await answerQuery(encodeMessage(query('big.test')), udp, big);
    assert.ok(plain && plain.length <= 512);
    assert.equal(decodeMessage(plain).tc, true);
    const withEdns = await answerQuery(encodeMessage(query('big.test', 1, { edns: edns(4096) })), udp, big);
    assert.ok(withEdns && withEdns.length <= 1232 && withEdns.length > 1000);
    assert.equal(decodeMessage(withEdns).tc, true);
    assert.ok(decodeMessage(withEdns).edns, 'OPT survives truncation');
    const overTcp = await ask(query('big.test'), big, tcp);
    assert.equal(overTcp?.tc, false);
    assert.equal(overTcp?.answers.length, 200);
  });
});

describe('refusals and errors', () => {
  it('FORMERR with the same id for an undecodable query, keeping what was read', async () => {
    const good = encodeMessage(query('a.test', 1, { id: 0x7777 }));
    const bad = Uint8Array.from([...good.subarray(0, 12), 0xc0, 0x20, 0, 1, 0, 1]); // forward pointer
    const r = await ask(bad);
    assert.equal(r?.rcode, Rcode.FORMERR);
    assert.equal(r?.id, 0x7777);
    assert.equal(r?.qr, true);
    assert.equal(r?.rd, true);
    const twoOpt = encodeMessage(query('a.test', 1, { edns: edns(1232) }));
    const twice = Uint8Array.from([...twoOpt, ...twoOpt.subarray(twoOpt.length - 11)]);
    twice[11] = 2;
    const r2 = await ask(twice);
    assert.equal(r2?.rcode, Rcode.FORMERR);
    assert.deepEqual(r2?.questions, [{ name: 'a.test', type: 1, class: 1 }]);
  });

  it('stay silent when the header cannot be read, and for responses', async () => {
    assert.equal(await ask(Uint8Array.from([0x12, 0x34, 0x01])), undefined);
    assert.equal(await ask(new Uint8Array(0)), undefined);
    assert.equal(await ask(query('a.test', 1, { qr: true })), undefined);
    const bad = encodeMessage(query('a.test', 1, { qr: true }));
    bad[12] = 0xc0; // a broken response: still no answer
    assert.equal(await ask(bad), undefined);
  });

  it('FORMERR for a question count other than one', async () => {
    const none = await ask(query('a.test', 1, { questions: [] }));
    assert.equal(none?.rcode, Rcode.FORMERR);
    assert.equal(none?.id, 0x4242);
    const two = await ask(query('a.test', 1, { questions: [{ name: 'a', type: 1, class: 1 }, { name: 'b', type: 1, class: 1 }] }));
    assert.equal(two?.rcode, Rcode.FORMERR);
  });

  it('FORMERR from the header alone for a query with more records than miekg/dns accepts', async () => {
    const rr = (name: string): ResourceRecord => ({ name, type: 1, class: 1, ttl: 1, data: { type: 1, address: '10.0.0.1' } });
    const cases: [Partial<DnsMessage>, number][] = [
      [{ answers: [rr('x.test')], authority: [rr('y.test')], additional: [rr('z.test')], edns: edns(1232) }, Rcode.NOERROR],
      [{ answers: [rr('x.test'), rr('x2.test')] }, Rcode.FORMERR],
      [{ authority: [rr('y.test'), rr('y2.test')] }, Rcode.FORMERR],
      [{ additional: [rr('z.test'), rr('z2.test')], edns: edns(1232) }, Rcode.FORMERR],
    ];
    for (const [over, want] of cases) {
      const seen: DnsRequest[] = [];
      const r = await ask(query('a.test', 1, over), { handler: fixed(1, seen) });
      assert.equal(r?.rcode, want, JSON.stringify(over).slice(0, 80));
      assert.equal(r?.id, 0x4242);
      assert.equal(seen.length, want === Rcode.NOERROR ? 1 : 0);
      if (want === Rcode.FORMERR) assert.deepEqual(r?.questions, [], 'the body was never decoded');
    }
  });

  it('answers a hostile packet (huge counts, long pointer chains) at once, without decoding it', async () => {
    // ~64 KiB of records: a chain of backward pointers through the first 16 KiB (the most a
    // pointer reaches), then records whose owner is the deepest link of that chain.
    const body: number[] = [...encodeMessage(query('a.test'))];
    let prev = 12; // the question's name
    const record = () => body.push(0xc0 | (prev >> 8), prev & 0xff, 0xff, 0, 0, 1, 0, 0, 0, 1, 0, 0); // private type, empty RDATA
    while (body.length < 16_370) {
      const at = body.length;
      record();
      prev = at;
    }
    while (body.length < 65_000) record();
    const packet = Uint8Array.from(body);
    packet[6] = 0xff; packet[7] = 0xff; // ANCOUNT 65535
    const t0 = performance.now();
    const r = await ask(packet);
    assert.equal(r?.rcode, Rcode.FORMERR);
    assert.ok(performance.now() - t0 < 20, `took ${performance.now() - t0} ms`);
    // Not a QUERY: NOTIMP, equally without decoding the body.
    packet[2] = (packet[2] & 0x87) | (5 << 3);
    assert.equal((await ask(packet))?.rcode, Rcode.NOTIMP);
  });

  it('NOTIMP for opcodes other than QUERY', async () => {
    for (const opcode of [1, 2, 4, 5, 15]) {
      const r = await ask(query('a.test', 6, { opcode }));
      assert.equal(r?.rcode, Rcode.NOTIMP, `opcode ${opcode}`);
      assert.equal(r?.opcode, opcode);
    }
  });

  it('BADVERS for an EDNS version other than 0, advertising version 0', async () => {
    const r = await ask(query('a.test', 1, { edns: edns(1232, { version: 1 }) }));
    assert.ok(r?.edns);
    assert.equal(fullRcode(r), Rcode.BADVERS);
    assert.equal(r.rcode, 0);
    assert.equal(r.edns.extendedRcode, 1);
    assert.equal(r.edns.version, 0);
  });

  it('REFUSED for zone transfers unless allowed', async () => {
    const seen: DnsRequest[] = [];
    for (const type of [252, 251]) {
      const r = await ask(query('cluster.local', type), { handler: fixed(1, seen) }, tcp);
      assert.equal(r?.rcode, Rcode.REFUSED);
    }
    assert.equal(seen.length, 0);
    const allowed = await ask(query('cluster.local', 252), { handler: fixed(1, seen), allowTransfer: (req) => req.client.transport === 'tcp' }, tcp);
    assert.equal(allowed?.rcode, Rcode.NOERROR);
    assert.equal(seen.length, 1);
  });

  it('SERVFAIL and onError when the handler throws or returns what cannot be encoded', async () => {
    const errors: [unknown, DnsErrorContext][] = [];
    const onError = (e: unknown, c: DnsErrorContext) => errors.push([e, c]);
    const boom = await ask(query('a.test'), { handler: async () => { throw new Error('boom'); }, onError });
    assert.equal(boom?.rcode, Rcode.SERVFAIL);
    assert.equal(boom?.id, 0x4242);
    const syncBoom = await ask(query('a.test'), { handler: () => { throw new Error('sync'); }, onError });
    assert.equal(syncBoom?.rcode, Rcode.SERVFAIL);
    const badRecord = await ask(query('a.test'), {
      handler: async () => ({ rcode: 0, answers: [{ name: 'a.test', type: 1, class: 1, ttl: 1, data: { type: 1, address: 'nope' } }], authority: [], additional: [] }),
      onError,
    });
    assert.equal(badRecord?.rcode, Rcode.SERVFAIL);
    assert.deepEqual(errors.map(([e, c]) => [(e as Error).message.slice(0, 4), c.stage, c.question?.name]), [
      ['boom', 'handler', 'a.test'],
      ['sync', 'handler', 'a.test'],
      ['A re', 'encode', 'a.test'],
    ]);
    // a throwing error hook changes nothing
    const still = await ask(query('a.test'), { handler: async () => { throw new Error('x'); }, onError: () => { throw new Error('hook'); } });
    assert.equal(still?.rcode, Rcode.SERVFAIL);
  });

  it('passes handler rcodes through, 12-bit ones only with EDNS', async () => {
    const nx = await ask(query('no.test'), { handler: async () => ({ rcode: Rcode.NXDOMAIN, aa: true, answers: [], authority: [], additional: [] }) });
    assert.equal(nx?.rcode, Rcode.NXDOMAIN);
    assert.equal(nx?.aa, true);
    const h = async () => ({ rcode: 16, answers: [], authority: [], additional: [] });
    assert.equal((await ask(query('x.test'), { handler: h }))?.rcode, Rcode.SERVFAIL);
    const withOpt = await ask(query('x.test', 1, { edns: edns(1232) }), { handler: h });
    assert.equal(withOpt && fullRcode(withOpt), 16);
  });

  it('tells onLocalAnswer of every answer the handler did not write (for metrics)', async () => {
    const seen: LocalAnswer[] = [];
    const onLocalAnswer = (a: LocalAnswer) => seen.push(a);
    const bad = encodeMessage(query('a.test'));
    bad[12] = 0x80; // reserved label type
    await ask(query('a.test', 1, { opcode: 2 }), { onLocalAnswer });
    await ask(query('a.test', 1, { questions: [] }), { onLocalAnswer });
    await ask(bad, { onLocalAnswer });
    await ask(query('a.test', 1, { edns: edns(1232, { version: 1 }) }), { onLocalAnswer });
    await ask(query('cluster.local', 252), { onLocalAnswer }, tcp);
    await ask(query('a.test'), { onLocalAnswer, handler: async () => ({ rcode: 0, answers: [{ name: 'a.test', type: 1, class: 1, ttl: 1, data: { type: 1, address: 'nope' } }], authority: [], additional: [] }) });
    await ask(query('a.test'), { onLocalAnswer }); // the handler's own answer: not local
    await ask(query('a.test', 1, { qr: true }), { onLocalAnswer }); // silence: nothing to count
    assert.deepEqual(seen.map((a) => [a.stage, a.rcode, a.question?.name]), [
      ['header', Rcode.NOTIMP, undefined],
      ['header', Rcode.FORMERR, undefined],
      ['decode', Rcode.FORMERR, undefined],
      ['edns', Rcode.BADVERS, 'a.test'],
      ['transfer', Rcode.REFUSED, 'cluster.local'],
      ['encode', Rcode.SERVFAIL, 'a.test'],
    ]);
    assert.equal(seen[4].client.transport, 'tcp');
  });
});

describe('answer memo', () => {
  const setup = (memoAnswer: boolean) => {
    const seen: DnsRequest[] = [];
    let generation = 1;
    let enabled = true;
    const hits: string[] = [];
    const entries = new Map();
    const opts: AnswerOptions = {
      handler: async (req) => {
        seen.push(req);
        return { rcode: 0, aa: true, answers: aRecords(req.question.name, 1), authority: [], additional: [], memo: memoAnswer };
      },
      memo: { max: 2, entries, enabled: () => enabled, generation: () => generation, hit: (e) => void hits.push(e.question.name) },
    };
    return { seen, hits, opts, entries, bump: () => generation++, disable: () => (enabled = false) };
  };
  const ask = async (opts: AnswerOptions, name: string, id: number, client: DnsClient = udp) =>
    decodeMessage((await answerQuery(encodeMessage(query(name, 1, { id })), client, opts))!);

  it('replays a memoised answer for the same query under its own ID, without the handler', async () => {
    const s = setup(true);
    const first = await ask(s.opts, 'web.ns1.svc.cluster.local', 1);
    const again = await ask(s.opts, 'web.ns1.svc.cluster.local', 2);
    assert.equal(s.seen.length, 1, 'the handler ran once');
    assert.equal(again.id, 2);
    assert.deepEqual({ ...again, id: 1 }, first);
    assert.deepEqual(s.hits, ['web.ns1.svc.cluster.local'], 'a hit is reported (metrics)');
  });

  it('asks the handler again when the generation moved, the case differs, the transport differs, or it is off', async () => {
    const s = setup(true);
    await ask(s.opts, 'web.ns1.svc.cluster.local', 1);
    await ask(s.opts, 'WEB.ns1.svc.cluster.local', 2);
    await ask(s.opts, 'web.ns1.svc.cluster.local', 3, tcp);
    assert.equal(s.seen.length, 3);
    s.bump();
    await ask(s.opts, 'web.ns1.svc.cluster.local', 4);
    assert.equal(s.seen.length, 4, 'a new generation misses');
    s.disable();
    await ask(s.opts, 'web.ns1.svc.cluster.local', 5);
    assert.equal(s.seen.length, 5, 'off: every query reaches the handler');
  });

  it('never replays an answer not marked memo, and stays within its size', async () => {
    const s = setup(false);
    await ask(s.opts, 'a.example', 1);
    await ask(s.opts, 'a.example', 2);
    assert.equal(s.seen.length, 2);
    assert.equal(s.entries.size, 0);
    const m = setup(true);
    for (const n of ['a', 'b', 'c', 'd']) await ask(m.opts, `${n}.example`, 1);
    assert.ok(m.entries.size <= 2);
  });
});
