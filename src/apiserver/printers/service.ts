// Services and Endpoints: the columns `kubectl get svc,ep` shows (printService, printEndpoints
// in kube-apiserver 1.33).

import type { TablePrinter } from './columns.ts';
import { ageColumn, ageOf, col, listWithMore, loadBalancerAddresses, nameColumn, nameOf } from './columns.ts';
import { formatLabels } from './selector.ts';

/** External-IP cell: spec.externalIPs, LoadBalancer ingress (or `<pending>`), or the ExternalName. */
export function serviceExternalIP(svc: any): string {
  const spec = svc.spec ?? {};
  const externalIPs: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      // No 16-character clipping: the server prints with wide output on.
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

/** Port(s) cell: `80/TCP`, `80:30080/TCP` when a node port is allocated, comma-joined. */
export function servicePorts(ports: any[] | undefined): string {
  const s = (ports ?? [])
    .map((p) => {
      const proto = p.protocol ?? 'TCP';
      return p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
    })
    .join(',');
  return s === '' ? '<none>' : s;
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('Type', 'How the service is exposed.'),
    col('Cluster-IP', 'Virtual IP inside the cluster.'),
    col('External-IP', 'Addresses reachable from outside the cluster.'),
    col('Port(s)', 'Service ports, with node ports.'),
    ageColumn,
    col('Selector', 'Labels of the pods behind the service.', { wide: true }),
  ],
  cells(svc, now) {
    const spec = svc.spec ?? {};
    // clusterIPs is filled from clusterIP when an object is read as v1; fall back for the same effect.
    const clusterIP = spec.clusterIPs?.[0] || spec.clusterIP || '<none>';
    return [
      nameOf(svc), spec.type ?? '', clusterIP, serviceExternalIP(svc), servicePorts(spec.ports), ageOf(svc, now),
      formatLabels(spec.selector),
    ];
  },
};

function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Endpoints cell: up to three `ip:port` (or bare IPs for port-less subsets), then ` + N more...`. */
export function formatEndpoints(ep: any): string {
  const subsets: any[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses: any[] = ss.addresses ?? [];
    const ports: any[] = ss.ports ?? [];
    if (ports.length === 0) {
      // A headless service may have no ports at all.
      count += addresses.length;
      for (const a of addresses) list.push(a.ip);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) list.push(joinHostPort(a.ip, p.port));
    }
  }
  // Upstream shows '' (not <none>) when subsets exist but hold no ready address.
  return listWithMore(list, count, 3, '');
}

export const endpointsPrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('Endpoints', 'Ready addresses and ports.'),
    ageColumn,
  ],
  cells(ep, now) {
    return [nameOf(ep), formatEndpoints(ep), ageOf(ep, now)];
  },
};
