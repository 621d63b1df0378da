// Which printer serves which resource, keyed by resourceKey() of src/k8s/resources.ts.
// Anything not listed gets kube-apiserver's default table convertor: Name and Created At.

import type { TablePrinter } from './columns.ts';
import { col, nameColumn, nameOf } from './columns.ts';
import { parseTime } from './duration.ts';
import { deploymentPrinter, replicaSetPrinter } from './apps.ts';
import { eventPrinter, eventsV1Printer } from './event.ts';
import { endpointSlicePrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.ts';
import { nodePrinter } from './node.ts';
import { configMapPrinter, leasePrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './plain.ts';
import { podPrinter } from './pod.ts';
import { endpointsPrinter, servicePrinter } from './service.ts';

const PRINTERS: ReadonlyMap<string, TablePrinter> = new Map([
  ['namespaces', namespacePrinter],
  ['nodes', nodePrinter],
  ['pods', podPrinter],
  ['services', servicePrinter],
  ['endpoints', endpointsPrinter],
  ['configmaps', configMapPrinter],
  ['secrets', secretPrinter],
  ['serviceaccounts', serviceAccountPrinter],
  ['events', eventPrinter],
  ['deployments.apps', deploymentPrinter],
  ['replicasets.apps', replicaSetPrinter],
  ['leases.coordination.k8s.io', leasePrinter],
  ['endpointslices.discovery.k8s.io', endpointSlicePrinter],
  ['events.events.k8s.io', eventsV1Printer],
  ['ingresses.networking.k8s.io', ingressPrinter],
  ['ingressclasses.networking.k8s.io', ingressClassPrinter],
  ['networkpolicies.networking.k8s.io', networkPolicyPrinter],
]);

/** RFC 3339 in UTC without fractional seconds, as Go's time.RFC3339 prints a UTC time. */
function rfc3339(ts: unknown): string {
  const t = parseTime(ts);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const defaultPrinter: TablePrinter = {
  columns: [nameColumn, col('Created At', 'When the object was created.', { type: 'date' })],
  cells(obj) {
    return [nameOf(obj), rfc3339(obj?.metadata?.creationTimestamp)];
  },
};

/** Printer for a resourceKey ('services', 'deployments.apps', ...); the Name/Created At printer otherwise. */
export function printerFor(key: string): TablePrinter {
  return PRINTERS.get(key) ?? defaultPrinter;
}

/** Keys with a dedicated printer (for tests and discovery checks). */
export function printedKeys(): string[] {
  return [...PRINTERS.keys()];
}
