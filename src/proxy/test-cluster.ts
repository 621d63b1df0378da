// Test fixtures: API-shaped Services and EndpointSlices for the compiler tests (kept apart
// so the test file reads as a behaviour table). Node n1 (172.18.0.2, pods 10.244.1.0/24)
// is the node under test; n2 holds pods 10.244.2.0/24.

import type { ProxyOptions } from './compile.ts';
import { serviceView, sliceView, type ProxySnapshot } from './snapshot.ts';

export const NODE_OPTS: ProxyOptions = {
  nodeName: 'n1', nodeIPs: ['172.18.0.2'], clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', masqueradeMark: '0x4000',
};

type Cond = { ready?: boolean; serving?: boolean; terminating?: boolean };

export function svc(name: string, spec: any, ingress: string[] = []): any {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name },
    spec: { type: 'ClusterIP', ...spec }, status: { loadBalancer: { ingress: ingress.map((ip) => ({ ip })) } },
  };
}

export function slice(service: string, ports: [string, string, number][], eps: [string, string | undefined, Cond?][], suffix = 'a'): any {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { namespace: 'default', name: `${service}-${suffix}`, labels: { 'kubernetes.io/service-name': service } },
    ports: ports.map(([name, protocol, port]) => ({ name, protocol, port })),
    endpoints: eps.map(([ip, nodeName, c]) => ({ addresses: [ip], ...(nodeName ? { nodeName } : {}), conditions: c ?? { ready: true } })),
  };
}

const port = (port: number, extra: any = {}) => ({ protocol: 'TCP', port, ...extra });
const notReady: Cond = { ready: false, serving: false, terminating: false };
const servingTerminating: Cond = { ready: false, serving: true, terminating: true };
const gone: Cond = { ready: false, serving: false, terminating: true };

export function clusterObjects(): { services: any[]; slices: any[] } {
  const services = [
    svc('web', { clusterIP: '10.96.0.20', ports: [port(80, { name: 'http', targetPort: 'http' }), port(9090, { name: 'metrics', targetPort: 9100 })] }),
    svc('dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', protocol: 'UDP', port: 53 }, { name: 'dns-tcp', protocol: 'TCP', port: 53 }] }),
    svc('sctp', { clusterIP: '10.96.0.30', ports: [{ protocol: 'SCTP', port: 9999 }] }),
    svc('empty', { clusterIP: '10.96.0.40', ports: [port(80, { name: 'http' }), { name: 'dns', protocol: 'UDP', port: 53 }], selector: { app: 'none' } }),
    svc('np', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [port(80, { nodePort: 30080 })] }),
    svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.96.0.60', ports: [port(80, { nodePort: 30081 })] }, ['172.18.255.200']),
    svc('lb-nolocal', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.96.0.70', ports: [port(80, { nodePort: 30082 })] }, ['172.18.255.201']),
    svc('lb-empty', { type: 'LoadBalancer', clusterIP: '10.96.0.71', ports: [port(80, { nodePort: 30083 })] }, ['172.18.255.202']),
    svc('ext', { clusterIP: '10.96.0.75', externalIPs: ['192.168.50.1'], ports: [port(80)] }),
    svc('aff', { clusterIP: '10.96.0.80', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [port(80)] }),
    svc('itp', { clusterIP: '10.96.0.90', internalTrafficPolicy: 'Local', ports: [port(80)] }),
    svc('itp-none', { clusterIP: '10.96.0.91', internalTrafficPolicy: 'Local', ports: [port(80)] }),
    svc('term', { clusterIP: '10.96.0.100', ports: [port(80)] }),
    svc('term-mixed', { clusterIP: '10.96.0.101', ports: [port(80)] }),
    svc('manual', { clusterIP: '10.96.0.110', ports: [port(80)] }), // no selector: the user writes the slice
    svc('headless', { clusterIP: 'None', ports: [port(80)] }),
    svc('extname', { type: 'ExternalName', externalName: 'example.com' }),
    svc('broken', { clusterIP: '10.96.0.120' }),
    svc('broken2', { clusterIP: '10.96.0.121', ports: [{ protocol: 'ICMP', port: 1 }] }),
    // loadBalancerSourceRanges: node IP outside the ranges; inside them (a contained range and
    // an IPv6 range as well); a /0 that lifts the restriction; no endpoints.
    svc('lb-fw', { type: 'LoadBalancer', clusterIP: '10.96.0.130', loadBalancerSourceRanges: ['192.168.7.0/24'], ports: [port(80, { nodePort: 30084 })] }, ['172.18.255.210']),
    svc('lb-fw-node', { type: 'LoadBalancer', clusterIP: '10.96.0.131', loadBalancerSourceRanges: [' 172.18.0.0/24', '172.18.0.3/32', 'fd00::/64'], ports: [port(80, { nodePort: 30085 })] }, ['172.18.255.211']),
    svc('lb-fw-any', { type: 'LoadBalancer', clusterIP: '10.96.0.132', loadBalancerSourceRanges: ['192.168.7.0/24', '0.0.0.0/0'], ports: [port(80, { nodePort: 30086 })] }, ['172.18.255.212']),
    svc('lb-fw-empty', { type: 'LoadBalancer', clusterIP: '10.96.0.133', loadBalancerSourceRanges: ['192.168.7.0/24'], ports: [port(80, { nodePort: 30087 })] }, ['172.18.255.213']),
    svc('zz-conflict', { clusterIP: '10.96.0.122', externalIPs: ['192.168.50.1'], ports: [port(80)] }),
  ];
  const slices = [
    // The named targetPort "http" resolved per pod by the EndpointSlice controller: 8080.
    slice('web', [['http', 'TCP', 8080], ['metrics', 'TCP', 9100]],
      [['10.244.1.5', 'n1'], ['10.244.2.7', 'n2'], ['10.244.2.8', 'n2', notReady]]),
    slice('dns', [['dns', 'UDP', 5353], ['dns-tcp', 'TCP', 5353]], [['10.244.2.9', 'n2']]),
    slice('sctp', [['', 'SCTP', 9999]], [['10.244.2.10', 'n2']]),
    slice('np', [['', 'TCP', 8080]], [['10.244.2.11', 'n2']]),
    slice('lb', [['', 'TCP', 8080]], [['10.244.1.12', 'n1'], ['10.244.2.12', 'n2']]),
    slice('lb-nolocal', [['', 'TCP', 8080]], [['10.244.2.13', 'n2']]),
    slice('ext', [['', 'TCP', 8080]], [['10.244.2.14', 'n2']]),
    slice('aff', [['', 'TCP', 8080]], [['10.244.1.15', 'n1'], ['10.244.2.15', 'n2']]),
    slice('itp', [['', 'TCP', 8080]], [['10.244.1.16', 'n1'], ['10.244.2.16', 'n2']]),
    slice('itp-none', [['', 'TCP', 8080]], [['10.244.2.17', 'n2']]),
    slice('term', [['', 'TCP', 8080]], [['10.244.2.18', 'n2', servingTerminating], ['10.244.2.19', 'n2', gone]]),
    slice('term-mixed', [['', 'TCP', 8080]], [['10.244.2.20', 'n2'], ['10.244.2.21', 'n2', servingTerminating]]),
    slice('manual', [['', 'TCP', 80]], [['10.1.2.3', undefined]], 'by-hand'),
    slice('headless', [['', 'TCP', 80]], [['10.244.2.30', 'n2']]),
    slice('lb-fw', [['', 'TCP', 8080]], [['10.244.2.40', 'n2']]),
    slice('lb-fw-node', [['', 'TCP', 8080]], [['10.244.2.41', 'n2']]),
    slice('lb-fw-any', [['', 'TCP', 8080]], [['10.244.2.42', 'n2']]),
    slice('zz-conflict', [['', 'TCP', 8080]], [['10.244.2.31', 'n2']]),
  ];
  return { services, slices };
}

export function clusterSnapshot(): ProxySnapshot {
  const { services, slices } = clusterObjects();
  return { services: services.map(serviceView), slices: slices.map(sliceView) };
}
