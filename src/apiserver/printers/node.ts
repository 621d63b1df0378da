// Nodes: Status from the Ready condition (plus SchedulingDisabled when cordoned), Roles from
// role labels, and the node's system info in the wide columns (printNode, kube-apiserver 1.33).

import type { TablePrinter } from './columns.ts';
import { ageColumn, ageOf, col, nameColumn, nameOf } from './columns.ts';

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
// The older single-valued role label, still honoured by the printer.
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

export function nodeStatus(node: any): string {
  const parts: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else parts.push('Unknown');
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeRoles(node: any): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_LABEL_PREFIX)) {
      const role = k.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === LEGACY_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function firstAddress(node: any, type: string): string {
  return (node.status?.addresses ?? []).find((a: any) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('Status', 'Readiness of the node, and whether it takes new pods.'),
    col('Roles', 'Roles from node-role labels.'),
    ageColumn,
    col('Version', 'Kubelet version.'),
    col('Internal-IP', 'First InternalIP address.', { wide: true }),
    col('External-IP', 'First ExternalIP address.', { wide: true }),
    col('OS-Image', 'Operating system image.', { wide: true }),
    col('Kernel-Version', 'Kernel version.', { wide: true }),
    col('Container-Runtime', 'Container runtime and its version.', { wide: true }),
  ],
  cells(node, now) {
    const info = node.status?.nodeInfo ?? {};
    return [
      nameOf(node), nodeStatus(node), nodeRoles(node), ageOf(node, now), info.kubeletVersion ?? '',
      firstAddress(node, 'InternalIP'), firstAddress(node, 'ExternalIP'),
      info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
