// Ingresses, IngressClasses, NetworkPolicies and EndpointSlices (kube-apiserver 1.33 printers).

import type { TablePrinter } from './columns.ts';
import { ageColumn, ageOf, col, listWithMore, loadBalancerAddresses, nameColumn, nameOf } from './columns.ts';
import { formatLabelSelector } from './selector.ts';

/** Hosts cell: the first three non-empty hosts, `*` when no rule names a host. */
export function ingressHosts(rules: any[] | undefined): string {
  const list = rules ?? [];
  const hosts: string[] = [];
  let more = false;
  for (const r of list) {
    if (hosts.length === 3) more = true;
    if (!more && r?.host) hosts.push(r.host);
  }
  if (hosts.length === 0) return '*';
  // Upstream counts the remainder over all rules, hostless ones included.
  return more ? `${hosts.join(',')} + ${list.length - 3} more...` : hosts.join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('Class', 'IngressClass that handles the ingress.'),
    col('Hosts', 'Hosts the rules match.'),
    col('Address', 'Load-balancer addresses from status.'),
    col('Ports', 'Ports served: 80, plus 443 with TLS.'),
    ageColumn,
  ],
  cells(ing, now) {
    const spec = ing.spec ?? {};
    return [
      nameOf(ing), spec.ingressClassName ?? '<none>', ingressHosts(spec.rules),
      loadBalancerAddresses(ing.status?.loadBalancer?.ingress),
      (spec.tls ?? []).length > 0 ? '80, 443' : '80', ageOf(ing, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('Controller', 'Controller that implements the class.'),
    col('Parameters', 'Resource with controller-specific parameters.'),
    ageColumn,
  ],
  cells(ic, now) {
    const p = ic.spec?.parameters;
    const parameters = p ? `${p.kind ?? ''}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name ?? ''}` : '<none>';
    return [nameOf(ic), ic.spec?.controller ?? '', parameters, ageOf(ic, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [nameColumn, col('Pod-Selector', 'Pods the policy applies to.'), ageColumn],
  cells(np, now) {
    // podSelector is required; an empty one selects every pod in the namespace and prints <none>.
    return [nameOf(np), formatLabelSelector(np.spec?.podSelector ?? {}), ageOf(np, now)];
  },
};

function slicePorts(ports: any[] | undefined): string {
  const list = (ports ?? []).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
  return listWithMore(list, list.length, 3, '<unset>');
}

function sliceEndpoints(endpoints: any[] | undefined): string {
  const list = (endpoints ?? []).flatMap((e) => e.addresses ?? []);
  return listWithMore(list, list.length, 3, '<unset>');
}

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('AddressType', 'IPv4, IPv6 or FQDN.'),
    col('Ports', 'Ports of the slice.'),
    col('Endpoints', 'Endpoint addresses.'),
    ageColumn,
  ],
  cells(slice, now) {
    return [nameOf(slice), slice.addressType ?? '', slicePorts(slice.ports), sliceEndpoints(slice.endpoints), ageOf(slice, now)];
  },
};
