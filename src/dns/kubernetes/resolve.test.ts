import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { resolveKubernetes } from './resolve.ts';
import type { KubernetesOptions } from './options.ts';
import { SERIAL, show, testCluster } from './test-fixtures.ts';
import { ClusterView } from './view.ts';
import { Rcode, RRType } from '../wire/types.ts';

const { A, AAAA, CNAME, NS, SOA, PTR, TXT, SRV, MX, HINFO, AXFR, ANY } = RRType;
const { NOERROR, NXDOMAIN, SERVFAIL, REFUSED } = Rcode;

const base: KubernetesOptions = {
  zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
  ttl: 30,
  pods: 'insecure',
  localIPs: ['10.244.0.10'],
};

const soaOf = (zone: string, ttl = 30, min = 30) =>
  `${zone} ${ttl} SOA ns.dns.${zone} hostmaster.${zone} ${SERIAL} 7200 1800 86400 ${min}`;
const SOA_CL = soaOf('cluster.local');
const S = 'testns.svc.cluster.local';

interface Row {
  q: string;
  t: number;
  rcode: number;
  answer?: string[];
  /** Defaults to none for answers, the cluster.local SOA for empty answers. */
  authority?: string[];
  additional?: string[];
  opts?: Partial<KubernetesOptions>;
  next?: boolean;
  chase?: { name: string; type: number };
  /** Answer order matters (CNAME chains). */
  ordered?: boolean;
}

const nodata = (q: string, t: number, opts?: Partial<KubernetesOptions>): Row => ({ q, t, rcode: NOERROR, answer: [], opts });
const nx = (q: string, t: number, opts?: Partial<KubernetesOptions>): Row => ({ q, t, rcode: NXDOMAIN, opts });

const groups: Record<string, Row[]> = {
  'schema version': [
    { q: 'dns-version.cluster.local', t: TXT, rcode: NOERROR, answer: ['dns-version.cluster.local 28800 TXT "1.1.0"'] },
    nodata('dns-version.cluster.local', A),
  ],
  'ClusterIP services': [
    { q: `svc1.${S}`, t: A, rcode: NOERROR, answer: [`svc1.${S} 30 A 10.0.0.1`] },
    nodata(`svc1.${S}`, AAAA),
    { q: `svcempty.${S}`, t: A, rcode: NOERROR, answer: [`svcempty.${S} 30 A 10.0.0.2`] },
    { q: `svc6.${S}`, t: AAAA, rcode: NOERROR, answer: [`svc6.${S} 30 AAAA 1234:abcd::1`] },
    nodata(`svc6.${S}`, A),
    { q: `svc-dual-stack.${S}`, t: A, rcode: NOERROR, answer: [`svc-dual-stack.${S} 30 A 10.0.0.3`] },
    { q: `svc-dual-stack.${S}`, t: AAAA, rcode: NOERROR, answer: [`svc-dual-stack.${S} 30 AAAA 10::3`] },
    nodata(`svc1.${S}`, TXT),
    nodata(`svc1.${S}`, MX),
    nodata(`svc1.${S}`, SOA),
    nodata(`svc1.${S}`, NS),
    nodata(`svc1.${S}`, PTR),
    nodata(`svc1.${S}`, ANY),
    nx(`svc0.${S}`, A),
    nx(`svc0.${S}`, AAAA),
    nx(`svc0.${S}`, TXT),
    nx(`svc0.${S}`, SOA),
    nx('svc1.nonexist.svc.cluster.local', A),
    // Endpoints are named below ClusterIP services too (k8s "DNS for Services and Pods").
    { q: `web-a.svc1.${S}`, t: A, rcode: NOERROR, answer: [`web-a.svc1.${S} 30 A 172.0.0.100`] },
    { q: `172-0-0-101.svc1.${S}`, t: A, rcode: NOERROR, answer: [`172-0-0-101.svc1.${S} 30 A 172.0.0.101`] },
    nx(`bogus.svc1.${S}`, A),
    nx(`bogus.svc0.${S}`, A),
  ],
  'SRV': [
    { q: `svc1.${S}`, t: SRV, rcode: NOERROR, answer: [`svc1.${S} 30 SRV 0 100 80 svc1.${S}`], additional: [`svc1.${S} 30 A 10.0.0.1`] },
    {
      q: `_http._tcp.svc1.${S}`, t: SRV, rcode: NOERROR,
      answer: [`_http._tcp.svc1.${S} 30 SRV 0 100 80 svc1.${S}`], additional: [`svc1.${S} 30 A 10.0.0.1`],
    },
    { q: `_http._tcp.svc1.${S}`, t: A, rcode: NOERROR, answer: [`_http._tcp.svc1.${S} 30 A 10.0.0.1`] },
    nx(`_https._tcp.svc1.${S}`, SRV),
    nx(`_http._udp.svc1.${S}`, SRV),
    {
      q: `svc-dual-stack.${S}`, t: SRV, rcode: NOERROR,
      answer: [`svc-dual-stack.${S} 30 SRV 0 50 80 svc-dual-stack.${S}`],
      additional: [`svc-dual-stack.${S} 30 A 10.0.0.3`, `svc-dual-stack.${S} 30 AAAA 10::3`],
    },
    {
      q: `multi.${S}`, t: SRV, rcode: NOERROR,
      answer: [`multi.${S} 30 SRV 0 33 80 multi.${S}`, `multi.${S} 30 SRV 0 33 53 multi.${S}`, `multi.${S} 30 SRV 0 33 8080 multi.${S}`],
      additional: [`multi.${S} 30 A 10.0.0.5`],
    },
    {
      q: `_dns._udp.multi.${S}`, t: SRV, rcode: NOERROR,
      answer: [`_dns._udp.multi.${S} 30 SRV 0 100 53 multi.${S}`], additional: [`multi.${S} 30 A 10.0.0.5`],
    },
    {
      q: `_http._tcp.hdls1.${S}`, t: SRV, rcode: NOERROR,
      answer: [
        `_http._tcp.hdls1.${S} 30 SRV 0 16 80 172-0-0-2.hdls1.${S}`,
        `_http._tcp.hdls1.${S} 30 SRV 0 16 80 172-0-0-3.hdls1.${S}`,
        `_http._tcp.hdls1.${S} 30 SRV 0 16 80 dup-name.hdls1.${S}`,
        `_http._tcp.hdls1.${S} 30 SRV 0 16 80 5678-abcd--1.hdls1.${S}`,
        `_http._tcp.hdls1.${S} 30 SRV 0 16 80 5678-abcd--2.hdls1.${S}`,
      ],
      additional: [
        `172-0-0-2.hdls1.${S} 30 A 172.0.0.2`,
        `172-0-0-3.hdls1.${S} 30 A 172.0.0.3`,
        `dup-name.hdls1.${S} 30 A 172.0.0.4`,
        `dup-name.hdls1.${S} 30 A 172.0.0.5`,
        `5678-abcd--1.hdls1.${S} 30 AAAA 5678:abcd::1`,
        `5678-abcd--2.hdls1.${S} 30 AAAA 5678:abcd::2`,
      ],
    },
    nodata(`hdlsprtls.${S}`, SRV),
    nx(`_http._tcp.dup-name.hdls1.${S}`, SRV),
  ],
  'headless services': [
    {
      q: `hdls1.${S}`, t: A, rcode: NOERROR,
      answer: [`hdls1.${S} 30 A 172.0.0.2`, `hdls1.${S} 30 A 172.0.0.3`, `hdls1.${S} 30 A 172.0.0.4`, `hdls1.${S} 30 A 172.0.0.5`],
    },
    { q: `hdls1.${S}`, t: AAAA, rcode: NOERROR, answer: [`hdls1.${S} 30 AAAA 5678:abcd::1`, `hdls1.${S} 30 AAAA 5678:abcd::2`] },
    { q: `172-0-0-2.hdls1.${S}`, t: A, rcode: NOERROR, answer: [`172-0-0-2.hdls1.${S} 30 A 172.0.0.2`] },
    { q: `dup-name.hdls1.${S}`, t: A, rcode: NOERROR, answer: [`dup-name.hdls1.${S} 30 A 172.0.0.4`, `dup-name.hdls1.${S} 30 A 172.0.0.5`] },
    { q: `5678-abcd--1.hdls1.${S}`, t: AAAA, rcode: NOERROR, answer: [`5678-abcd--1.hdls1.${S} 30 AAAA 5678:abcd::1`] },
    nodata(`5678-abcd--1.hdls1.${S}`, A),
    nx(`172-0-0-9.hdls1.${S}`, A),
    nx(`5678-abcd--9.hdls1.${S}`, AAAA),
    { q: `hdlsprtls.${S}`, t: A, rcode: NOERROR, answer: [`hdlsprtls.${S} 30 A 172.0.0.20`] },
    { q: `172-0-0-20.hdlsprtls.${S}`, t: A, rcode: NOERROR, answer: [`172-0-0-20.hdlsprtls.${S} 30 A 172.0.0.20`] },
    nx(`hdls-empty.${S}`, A),
    nx(`hdls-notready.${S}`, A),
    nx(`hdls-notready.${S}`, AAAA),
    { q: `hdls-pub.${S}`, t: A, rcode: NOERROR, answer: [`hdls-pub.${S} 30 A 172.0.0.40`] },
    { q: `peer-0.hdls-pub.${S}`, t: A, rcode: NOERROR, answer: [`peer-0.hdls-pub.${S} 30 A 172.0.0.40`] },
    { q: `172-0-0-50.podnames.${S}`, t: A, rcode: NOERROR, answer: [`172-0-0-50.podnames.${S} 30 A 172.0.0.50`] },
    nx(`web-0.podnames.${S}`, A),
    { q: `web-0.podnames.${S}`, t: A, rcode: NOERROR, answer: [`web-0.podnames.${S} 30 A 172.0.0.50`], opts: { endpointPodNames: true } },
    nx(`172-0-0-50.podnames.${S}`, A, { endpointPodNames: true }),
  ],
  'names that do not exist': [
    nx(`*.${S}`, A),
    nx('*.*.svc.cluster.local', A),
    nx(`a.b.c.d.svc1.${S}`, A),
    nx('svc1.testns.foo.cluster.local', A),
    nx('foo.cluster.local', A),
    nx('foo.cluster.local', NS),
    nx('foo.svc.cluster.local', NS),
    nx('nonexist.svc.cluster.local', A),
  ],
  'empty non-terminals and the apex': [
    nodata('svc.cluster.local', A),
    nodata('svc.cluster.local', TXT),
    nodata('svc.cluster.local', NS),
    nodata('testns.svc.cluster.local', A),
    nodata('testns.svc.cluster.local', NS),
    nodata('pod.cluster.local', A),
    nodata('testns.pod.cluster.local', A),
    nodata('cluster.local', A),
    nodata('cluster.local', AAAA),
    nodata('cluster.local', SRV),
    nodata('cluster.local', HINFO),
    nodata('dns.cluster.local', A),
    { q: 'cluster.local', t: SOA, rcode: NOERROR, answer: [SOA_CL] },
    {
      q: 'cluster.local', t: NS, rcode: NOERROR,
      answer: ['cluster.local 30 NS kube-dns.kube-system.svc.cluster.local'],
      additional: ['kube-dns.kube-system.svc.cluster.local 30 A 10.96.0.10'],
    },
    { q: 'ns.dns.cluster.local', t: A, rcode: NOERROR, answer: ['ns.dns.cluster.local 30 A 10.96.0.10'] },
    nodata('ns.dns.cluster.local', AAAA),
    {
      q: 'cluster.local', t: NS, rcode: NOERROR, opts: { localIPs: ['127.0.0.1'] },
      answer: ['cluster.local 30 NS ns.dns.cluster.local'], additional: ['ns.dns.cluster.local 30 A 127.0.0.1'],
    },
    nodata('cluster.local', NS, { localIPs: [] }),
    { q: 'cluster.local', t: AXFR, rcode: REFUSED, authority: [] },
  ],
  'ExternalName': [
    { q: `external.${S}`, t: CNAME, rcode: NOERROR, answer: [`external.${S} 30 CNAME ext.interwebs.test`] },
    { q: `external.${S}`, t: A, rcode: NOERROR, answer: [`external.${S} 30 CNAME ext.interwebs.test`], chase: { name: 'ext.interwebs.test', type: A } },
    { q: `external.${S}`, t: SRV, rcode: NOERROR, answer: [`external.${S} 30 CNAME ext.interwebs.test`], chase: { name: 'ext.interwebs.test', type: SRV } },
    nx(`endpoint.external.${S}`, CNAME),
    nx(`sub.sub.external.${S}`, CNAME),
    nx(`_http._tcp.external.${S}`, SRV),
    {
      q: `external-to-service.${S}`, t: A, rcode: NOERROR, ordered: true,
      answer: [`external-to-service.${S} 30 CNAME svc1.${S}`, `svc1.${S} 30 A 10.0.0.1`],
    },
    {
      q: `ext-chain.${S}`, t: AAAA, rcode: NOERROR, ordered: true,
      answer: [`ext-chain.${S} 30 CNAME external.${S}`, `external.${S} 30 CNAME ext.interwebs.test`],
      chase: { name: 'ext.interwebs.test', type: AAAA },
    },
    { q: `ext-missing.${S}`, t: A, rcode: NOERROR, answer: [`ext-missing.${S} 30 CNAME nothere.${S}`] },
    nx(`ext-ip.${S}`, A),
    nodata(`ext-loop.${S}`, A),
  ],
  'pods insecure': [
    { q: '10-244-1-5.testns.pod.cluster.local', t: A, rcode: NOERROR, answer: ['10-244-1-5.testns.pod.cluster.local 30 A 10.244.1.5'] },
    { q: '1-2-3-4.testns.pod.cluster.local', t: A, rcode: NOERROR, answer: ['1-2-3-4.testns.pod.cluster.local 30 A 1.2.3.4'] },
    nodata('1-2-3-4.testns.pod.cluster.local', AAAA),
    { q: 'fd00--1-5.testns.pod.cluster.local', t: AAAA, rcode: NOERROR, answer: ['fd00--1-5.testns.pod.cluster.local 30 AAAA fd00::1:5'] },
    nx('1-2-3.testns.pod.cluster.local', A),
    nx('1-2-3-400.testns.pod.cluster.local', A),
    nx('1-2-3-4.nonexist.pod.cluster.local', A),
    nx('x.1-2-3-4.testns.pod.cluster.local', A),
  ],
  'pods verified': [
    { q: '10-244-1-5.testns.pod.cluster.local', t: A, rcode: NOERROR, answer: ['10-244-1-5.testns.pod.cluster.local 30 A 10.244.1.5'], opts: { pods: 'verified' } },
    { q: 'fd00--1-5.testns.pod.cluster.local', t: AAAA, rcode: NOERROR, answer: ['fd00--1-5.testns.pod.cluster.local 30 AAAA fd00::1:5'], opts: { pods: 'verified' } },
    nx('10-244-2-6.testns.pod.cluster.local', A, { pods: 'verified' }),
    { q: '10-244-2-6.default.pod.cluster.local', t: A, rcode: NOERROR, answer: ['10-244-2-6.default.pod.cluster.local 30 A 10.244.2.6'], opts: { pods: 'verified' } },
    nx('1-2-3-4.testns.pod.cluster.local', A, { pods: 'verified' }),
    nodata('testns.pod.cluster.local', A, { pods: 'verified' }),
  ],
  'pods disabled': [
    nx('10-244-1-5.testns.pod.cluster.local', A, { pods: 'disabled' }),
    nx('testns.pod.cluster.local', A, { pods: 'disabled' }),
    nodata('pod.cluster.local', A, { pods: 'disabled' }),
  ],
  'reverse zones': [
    { q: '1.0.0.10.in-addr.arpa', t: PTR, rcode: NOERROR, answer: [`1.0.0.10.in-addr.arpa 30 PTR svc1.${S}`] },
    { q: '3.0.0.10.in-addr.arpa', t: PTR, rcode: NOERROR, answer: [`3.0.0.10.in-addr.arpa 30 PTR svc-dual-stack.${S}`] },
    {
      q: '3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.ip6.arpa', t: PTR, rcode: NOERROR,
      answer: [`3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.ip6.arpa 30 PTR svc-dual-stack.${S}`],
    },
    { q: '2.0.0.172.in-addr.arpa', t: PTR, rcode: NOERROR, answer: [`2.0.0.172.in-addr.arpa 30 PTR 172-0-0-2.hdls1.${S}`] },
    { q: '4.0.0.172.in-addr.arpa', t: PTR, rcode: NOERROR, answer: [`4.0.0.172.in-addr.arpa 30 PTR dup-name.hdls1.${S}`] },
    { q: '100.0.0.172.in-addr.arpa', t: PTR, rcode: NOERROR, answer: [`100.0.0.172.in-addr.arpa 30 PTR web-a.svc1.${S}`] },
    { q: '40.0.0.172.in-addr.arpa', t: PTR, rcode: NOERROR, answer: [`40.0.0.172.in-addr.arpa 30 PTR peer-0.hdls-pub.${S}`] },
    {
      q: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa', t: PTR, rcode: NOERROR,
      answer: [`1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa 30 PTR 5678-abcd--1.hdls1.${S}`],
    },
    { q: '50.0.0.172.in-addr.arpa', t: PTR, rcode: NOERROR, answer: [`50.0.0.172.in-addr.arpa 30 PTR web-0.podnames.${S}`], opts: { endpointPodNames: true } },
    { q: '9.0.0.172.in-addr.arpa', t: PTR, rcode: NXDOMAIN, authority: [soaOf('in-addr.arpa')] },
    { q: '60.0.0.172.in-addr.arpa', t: PTR, rcode: NXDOMAIN, authority: [soaOf('in-addr.arpa')] },
    { q: '9.9.9.9.in-addr.arpa', t: PTR, rcode: NXDOMAIN, authority: [soaOf('in-addr.arpa')] },
    { q: '9.9.9.9.in-addr.arpa', t: PTR, rcode: NOERROR, next: true, opts: { fallthrough: ['in-addr.arpa', 'ip6.arpa'] } },
    { q: '9.0.0.172.in-addr.arpa', t: PTR, rcode: NOERROR, next: true, opts: { fallthrough: ['in-addr.arpa', 'ip6.arpa'] } },
    { q: '0.10.in-addr.arpa', t: PTR, rcode: NXDOMAIN, authority: [soaOf('in-addr.arpa')] },
    { q: '1.0.0.10.in-addr.arpa', t: A, rcode: NOERROR, answer: [], authority: [soaOf('in-addr.arpa')] },
    { q: 'in-addr.arpa', t: SOA, rcode: NOERROR, answer: [soaOf('in-addr.arpa')] },
    // A name error in cluster.local is not covered by reverse-only fallthrough.
    { q: `svc0.${S}`, t: A, rcode: NXDOMAIN, opts: { fallthrough: ['in-addr.arpa', 'ip6.arpa'] } },
  ],
  'case': [
    { q: 'SvC1.TeStNs.SvC.cLuStEr.LoCaL', t: A, rcode: NOERROR, answer: ['SvC1.TeStNs.SvC.cLuStEr.LoCaL 30 A 10.0.0.1'] },
    {
      q: '_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL', t: SRV, rcode: NOERROR,
      answer: ['_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL 30 SRV 0 100 80 svc1.testns.svc.cLuStEr.LoCaL'],
      additional: ['svc1.testns.svc.cLuStEr.LoCaL 30 A 10.0.0.1'],
    },
    { q: 'not-a-service.testns.svc.ClUsTeR.lOcAl', t: A, rcode: NXDOMAIN, authority: [soaOf('ClUsTeR.lOcAl')] },
    { q: 'Cluster.local', t: SOA, rcode: NOERROR, answer: [soaOf('Cluster.local')] },
    { q: 'DNS-Version.Cluster.Local', t: TXT, rcode: NOERROR, answer: ['DNS-Version.Cluster.Local 28800 TXT "1.1.0"'] },
    { q: 'DUP-NAME.HDLS1.TESTNS.SVC.CLUSTER.LOCAL', t: A, rcode: NOERROR, answer: ['DUP-NAME.HDLS1.TESTNS.SVC.CLUSTER.LOCAL 30 A 172.0.0.4', 'DUP-NAME.HDLS1.TESTNS.SVC.CLUSTER.LOCAL 30 A 172.0.0.5'] },
    { q: `svc1.${S}.`, t: A, rcode: NOERROR, answer: [`svc1.${S} 30 A 10.0.0.1`] },
  ],
  'options': [
    { q: 'example.com', t: A, rcode: NOERROR, next: true },
    { q: `svc0.${S}`, t: A, rcode: NOERROR, next: true, opts: { fallthrough: true } },
    { q: `svc1.${S}`, t: A, rcode: NOERROR, answer: [`svc1.${S} 30 A 10.0.0.1`], opts: { namespaces: ['testns'] } },
    nx('kubernetes.default.svc.cluster.local', A, { namespaces: ['testns'] }),
    nx('default.svc.cluster.local', A, { namespaces: ['testns'] }),
    { q: '1.0.96.10.in-addr.arpa', t: PTR, rcode: NXDOMAIN, authority: [soaOf('in-addr.arpa')], opts: { namespaces: ['testns'] } },
    { q: '1.0.96.10.in-addr.arpa', t: PTR, rcode: NOERROR, answer: ['1.0.96.10.in-addr.arpa 30 PTR kubernetes.default.svc.cluster.local'] },
    nx(`svcempty.${S}`, A, { ignoreEmptyService: true }),
    nx(`_http._tcp.svcempty.${S}`, SRV, { ignoreEmptyService: true }),
    { q: `svc1.${S}`, t: A, rcode: NOERROR, answer: [`svc1.${S} 30 A 10.0.0.1`], opts: { ignoreEmptyService: true } },
    { q: `external.${S}`, t: CNAME, rcode: NOERROR, answer: [`external.${S} 30 CNAME ext.interwebs.test`], opts: { ignoreEmptyService: true } },
    { q: `svc1.${S}`, t: A, rcode: NOERROR, answer: [`svc1.${S} 5 A 10.0.0.1`], opts: { ttl: 5 } },
    { q: `svc0.${S}`, t: A, rcode: NXDOMAIN, authority: [soaOf('cluster.local', 5, 5)], opts: { ttl: 5 } },
    { q: `svc0.${S}`, t: A, rcode: NXDOMAIN, authority: [soaOf('cluster.local', 300, 600)], opts: { ttl: 600 } },
    { q: 'dns-version.cluster.local', t: TXT, rcode: NOERROR, answer: ['dns-version.cluster.local 28800 TXT "1.1.0"'], opts: { ttl: 5 } },
  ],
};

const view = testCluster();

for (const [group, rows] of Object.entries(groups)) {
  describe(`resolveKubernetes: ${group}`, () => {
    for (const row of rows) {
      const label = `${row.q} ${Object.entries(RRType).find(([, v]) => v === row.t)?.[0]}${row.opts ? ' ' + JSON.stringify(row.opts) : ''}`;
      it(label, () => {
        const res = resolveKubernetes(view, { name: row.q, type: row.t, class: 1 }, { ...base, ...row.opts });
        assert.equal(res.rcode, row.rcode, 'rcode');
        if (row.next) {
          assert.equal(res.next, true, 'passed on');
          return;
        }
        assert.equal(res.next, undefined, 'answered here');
        const sort = (xs: string[]) => (row.ordered ? xs : [...xs].sort());
        assert.deepEqual(sort(res.answers.map(show)), sort(row.answer ?? []), 'answer');
        const wantAuthority = row.authority ?? ((row.answer ?? []).length === 0 ? [SOA_CL] : []);
        assert.deepEqual(res.authority.map(show), wantAuthority, 'authority');
        assert.deepEqual(sort(res.additional.map(show)), sort(row.additional ?? []), 'additional');
        assert.deepEqual(res.chase, row.chase, 'chase');
        if (row.rcode !== REFUSED) assert.equal(res.aa, true, 'authoritative');
      });
    }
  });
}

describe('resolveKubernetes: sync and serial', () => {
  it('answers SERVFAIL, not NXDOMAIN, before the view has synced, but serves what it has', () => {
    const v = new ClusterView({ now: () => SERIAL });
    v.upsertNamespace({ metadata: { name: 'testns' } });
    v.upsertService({ metadata: { namespace: 'testns', name: 'svc1' }, spec: { clusterIPs: ['10.0.0.1'], ports: [{ port: 80 }] } });
    const miss = resolveKubernetes(v, { name: `svc0.${S}`, type: A, class: 1 }, base);
    assert.equal(miss.rcode, SERVFAIL);
    assert.deepEqual(miss.authority.map(show), [SOA_CL]);
    const hit = resolveKubernetes(v, { name: `svc1.${S}`, type: A, class: 1 }, base);
    assert.deepEqual(hit.answers.map(show), [`svc1.${S} 30 A 10.0.0.1`]);
    v.markSynced();
    assert.equal(resolveKubernetes(v, { name: `svc0.${S}`, type: A, class: 1 }, base).rcode, NXDOMAIN);
  });

  it('SOA serial follows the last DNS-visible change', () => {
    let now = 1000;
    const v = new ClusterView({ now: () => now });
    v.markSynced();
    const serial = () => (resolveKubernetes(v, { name: 'cluster.local', type: SOA, class: 1 }, base).answers[0].data as any).serial;
    assert.equal(serial(), 1000);
    now = 2000;
    v.upsertNamespace({ metadata: { name: 'a' } });
    assert.equal(serial(), 2000);
    now = 3000;
    v.upsertNamespace({ metadata: { name: 'a' } }); // no change, no new serial
    assert.equal(serial(), 2000);
  });

  it('passes other classes on', () => {
    const res = resolveKubernetes(view, { name: 'dns-version.cluster.local', type: TXT, class: 3 }, base);
    assert.equal(res.next, true);
  });

  it('picks the longest matching zone', () => {
    const res = resolveKubernetes(view, { name: '7.0.96.10.in-addr.arpa', type: PTR, class: 1 },
      { ...base, zones: ['cluster.local', 'in-addr.arpa', '96.10.in-addr.arpa'] });
    assert.equal(res.rcode, NXDOMAIN);
    assert.deepEqual(res.authority.map(show), [soaOf('96.10.in-addr.arpa')]);
  });
});
