import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { kubernetesPlugin } from './plugin.ts';
import { show, testCluster } from './test-fixtures.ts';
import type { DnsRequest, DnsResponse } from '../server/plugin.ts';
import { Rcode, RRType, type DnsMessage } from '../wire/types.ts';

const S = 'testns.svc.cluster.local';
const options = { zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], ttl: 30, fallthrough: ['in-addr.arpa', 'ip6.arpa'] };

function request(name: string, type: number): DnsRequest {
  const question = { name, type, class: 1 };
  const message: DnsMessage = {
    id: 7, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0,
    questions: [question], answers: [], authority: [], additional: [],
  };
  return { message, question, client: { address: '10.244.1.5', port: 5353, transport: 'udp' }, maxSize: 512 };
}

/** A stand-in for the rest of the chain: records what it was asked, answers one A record. */
function recordingNext() {
  const asked: DnsRequest[] = [];
  const next = async (req: DnsRequest): Promise<DnsResponse> => {
    asked.push(req);
    return {
      rcode: Rcode.NOERROR, answers: [{ name: req.question.name, type: RRType.A, class: 1, ttl: 60, data: { type: 1, address: '93.184.216.34' } }],
      authority: [], additional: [],
    };
  };
  return { asked, next };
}

describe('kubernetesPlugin', () => {
  const view = testCluster();

  it('answers its zones authoritatively without calling next', async () => {
    const { asked, next } = recordingNext();
    const res = await kubernetesPlugin(view, options).handle(request(`svc1.${S}`, RRType.A), next);
    assert.equal(asked.length, 0);
    assert.equal(res.rcode, Rcode.NOERROR);
    assert.equal(res.aa, true);
    assert.deepEqual(res.answers.map(show), [`svc1.${S} 30 A 10.0.0.1`]);
  });

  it('passes names outside its zones, and fallthrough name errors, to next', async () => {
    const { asked, next } = recordingNext();
    const plugin = kubernetesPlugin(view, options);
    const outside = await plugin.handle(request('example.com', RRType.A), next);
    assert.deepEqual(outside.answers.map(show), ['example.com 60 A 93.184.216.34']);
    await plugin.handle(request('4.3.2.1.in-addr.arpa', RRType.PTR), next);
    assert.deepEqual(asked.map((r) => r.question.name), ['example.com', '4.3.2.1.in-addr.arpa']);
    const nx = await plugin.handle(request(`nope.${S}`, RRType.A), next);
    assert.equal(nx.rcode, Rcode.NXDOMAIN);
    assert.equal(asked.length, 2, 'cluster.local is not a fallthrough zone');
  });

  it('chases an ExternalName target through next and appends its records', async () => {
    const { asked, next } = recordingNext();
    const res = await kubernetesPlugin(view, options).handle(request(`external.${S}`, RRType.A), next);
    assert.equal(asked.length, 1);
    assert.deepEqual(asked[0].question, { name: 'ext.interwebs.test', type: RRType.A, class: 1 });
    assert.deepEqual(asked[0].message.questions, [asked[0].question]);
    assert.equal(asked[0].client.address, '10.244.1.5', 'the chase keeps the client');
    assert.deepEqual(res.answers.map(show), [`external.${S} 30 CNAME ext.interwebs.test`, 'ext.interwebs.test 60 A 93.184.216.34']);
    assert.equal(res.rcode, Rcode.NOERROR);
  });

  it('uses resolveTarget when given, and keeps the CNAME alone when the chase fails', async () => {
    const { asked, next } = recordingNext();
    const viaResolver = recordingNext();
    const withResolver = kubernetesPlugin(view, { ...options, resolveTarget: viaResolver.next });
    await withResolver.handle(request(`ext-chain.${S}`, RRType.AAAA), next);
    assert.equal(asked.length, 0);
    assert.deepEqual(viaResolver.asked.map((r) => [r.question.name, r.question.type]), [['ext.interwebs.test', RRType.AAAA]]);

    const failing = kubernetesPlugin(view, { ...options, resolveTarget: () => Promise.reject(new Error('upstream down')) });
    const res = await failing.handle(request(`external.${S}`, RRType.A), next);
    assert.deepEqual(res.answers.map(show), [`external.${S} 30 CNAME ext.interwebs.test`]);
  });

  it('follows CNAMEs inside its zones itself', async () => {
    const { asked, next } = recordingNext();
    const res = await kubernetesPlugin(view, options).handle(request(`external-to-service.${S}`, RRType.A), next);
    assert.equal(asked.length, 0);
    assert.deepEqual(res.answers.map(show), [`external-to-service.${S} 30 CNAME svc1.${S}`, `svc1.${S} 30 A 10.0.0.1`]);
  });

  it('rejects bad options when built', () => {
    assert.throws(() => kubernetesPlugin(view, { zones: ['in-addr.arpa'] }), /outside in-addr.arpa/);
    assert.throws(() => kubernetesPlugin(view, { zones: ['cluster.local'], ttl: 3601 }), /ttl/);
    assert.throws(() => kubernetesPlugin(view, { zones: ['cluster.local'], pods: 'maybe' as any }), /pods/);
    assert.throws(() => kubernetesPlugin(view, { zones: [] }), /zone/);
  });
});
