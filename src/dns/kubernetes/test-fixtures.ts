// A small cluster in API-object form, and a printer that turns records into one-line
// strings, so resolver tests read as a table of query -> expected answer.

import { ClusterView } from './view.ts';
import type { ResourceRecord } from '../wire/types.ts';

export const SERIAL = 1499347823;

export function service(namespace: string, name: string, spec: Record<string, unknown>): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec };
}

export function slice(namespace: string, name: string, svc: string, addressType: string, ports: any[] | undefined, endpoints: any[]): any {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace, name, labels: { 'kubernetes.io/service-name': svc } },
    addressType, ports, endpoints,
  };
}

export function ep(address: string, extra: { ready?: boolean; hostname?: string; pod?: string } = {}): any {
  return {
    addresses: [address],
    conditions: extra.ready === undefined ? {} : { ready: extra.ready, serving: extra.ready, terminating: false },
    ...(extra.hostname ? { hostname: extra.hostname } : {}),
    ...(extra.pod ? { targetRef: { kind: 'Pod', namespace: 'testns', name: extra.pod } } : {}),
  };
}

const http = [{ name: 'http', protocol: 'TCP', port: 80 }];

/** The cluster most tests query; modelled on CoreDNS's handler_test fixtures. */
export function testCluster(): ClusterView {
  const v = new ClusterView({ now: () => SERIAL });
  for (const ns of ['default', 'testns', 'kube-system', 'other']) v.upsertNamespace({ metadata: { name: ns } });
  v.upsertService(service('testns', 'svc1', { type: 'ClusterIP', clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: http }));
  v.upsertSlice(slice('testns', 'svc1-abc', 'svc1', 'IPv4', http, [ep('172.0.0.100', { ready: true, hostname: 'web-a' }), ep('172.0.0.101')]));
  v.upsertService(service('testns', 'svcempty', { clusterIPs: ['10.0.0.2'], ports: http }));
  v.upsertService(service('testns', 'svc6', { clusterIPs: ['1234:abcd:0:0:0:0:0:1'], ports: http }));
  v.upsertService(service('testns', 'svc-dual-stack', { clusterIPs: ['10.0.0.3', '10::3'], ports: http }));
  v.upsertService(service('testns', 'multi', {
    clusterIPs: ['10.0.0.5'],
    ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'dns', protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 8080 }],
  }));
  v.upsertService(service('testns', 'hdls1', { clusterIP: 'None', clusterIPs: ['None'], ports: http }));
  v.upsertSlice(slice('testns', 'hdls1-v4', 'hdls1', 'IPv4', http, [
    ep('172.0.0.2', { ready: true }), ep('172.0.0.3'),
    ep('172.0.0.4', { hostname: 'dup-name' }), ep('172.0.0.5', { hostname: 'dup-name' }),
    ep('172.0.0.9', { ready: false }),
  ]));
  v.upsertSlice(slice('testns', 'hdls1-v6', 'hdls1', 'IPv6', http, [
    ep('5678:abcd::1'), ep('5678:abcd:0::2'), ep('5678:abcd::9', { ready: false }),
  ]));
  // A pod moving between slices shows up twice; DNS must list it once.
  v.upsertSlice(slice('testns', 'hdls1-v4-b', 'hdls1', 'IPv4', http, [ep('172.0.0.2', { ready: true })]));
  v.upsertService(service('testns', 'hdlsprtls', { clusterIP: 'None' }));
  v.upsertSlice(slice('testns', 'hdlsprtls-x', 'hdlsprtls', 'IPv4', undefined, [ep('172.0.0.20')]));
  v.upsertService(service('testns', 'hdls-empty', { clusterIP: 'None', ports: http }));
  v.upsertService(service('testns', 'hdls-notready', { clusterIP: 'None', ports: http }));
  v.upsertSlice(slice('testns', 'hdls-notready-x', 'hdls-notready', 'IPv4', http, [ep('172.0.0.30', { ready: false })]));
  v.upsertService(service('testns', 'hdls-pub', { clusterIP: 'None', ports: http, publishNotReadyAddresses: true }));
  v.upsertSlice(slice('testns', 'hdls-pub-x', 'hdls-pub', 'IPv4', http, [ep('172.0.0.40', { ready: false, hostname: 'peer-0' })]));
  v.upsertService(service('testns', 'podnames', { clusterIP: 'None', ports: http }));
  v.upsertSlice(slice('testns', 'podnames-x', 'podnames', 'IPv4', http, [ep('172.0.0.50', { pod: 'web-0' })]));
  v.upsertService(service('testns', 'external', { type: 'ExternalName', externalName: 'ext.interwebs.test', ports: http }));
  v.upsertService(service('testns', 'external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.' }));
  v.upsertService(service('testns', 'ext-ip', { type: 'ExternalName', externalName: '1.2.3.4' }));
  v.upsertService(service('testns', 'ext-loop', { type: 'ExternalName', externalName: 'ext-loop.testns.svc.cluster.local' }));
  v.upsertService(service('testns', 'ext-chain', { type: 'ExternalName', externalName: 'external.testns.svc.cluster.local' }));
  v.upsertService(service('testns', 'ext-missing', { type: 'ExternalName', externalName: 'nothere.testns.svc.cluster.local' }));
  v.upsertService(service('kube-system', 'kube-dns', {
    clusterIPs: ['10.96.0.10'],
    ports: [{ name: 'dns', protocol: 'UDP', port: 53 }, { name: 'dns-tcp', protocol: 'TCP', port: 53 }],
  }));
  v.upsertSlice(slice('kube-system', 'kube-dns-x', 'kube-dns', 'IPv4', [{ name: 'dns', protocol: 'UDP', port: 53 }], [ep('10.244.0.10', { ready: true })]));
  v.upsertService(service('default', 'kubernetes', { clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', protocol: 'TCP', port: 443 }] }));
  // A slice whose Service is gone: its addresses get no PTR.
  v.upsertSlice(slice('testns', 'orphan-x', 'orphan', 'IPv4', http, [ep('172.0.0.60')]));
  v.upsertPod({ metadata: { namespace: 'testns', name: 'pod-a' }, status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::1:5' }] } });
  v.upsertPod({ metadata: { namespace: 'default', name: 'pod-b' }, status: { podIP: '10.244.2.6' } });
  v.markSynced();
  return v;
}

const TYPE_NAMES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 16: 'TXT', 28: 'AAAA', 33: 'SRV' };

/** "name ttl TYPE rdata", rdata in presentation order, names without the final dot. */
export function show(r: ResourceRecord): string {
  const d: any = r.data;
  let rdata: string;
  switch (r.type) {
    case 1: case 28: rdata = d.address; break;
    case 2: case 5: case 12: rdata = d.target; break;
    case 16: rdata = d.texts.map((t: string) => JSON.stringify(t)).join(' '); break;
    case 33: rdata = `${d.priority} ${d.weight} ${d.port} ${d.target}`; break;
    case 6: rdata = `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`; break;
    default: rdata = '?';
  }
  return `${r.name} ${r.ttl} ${TYPE_NAMES[r.type] ?? r.type} ${rdata}`;
}
