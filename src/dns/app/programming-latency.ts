// DNS programming latency (the SIG Scalability SLI "DNS programming latency"): seconds from
// the API change that caused an update to the moment the view answers with it. CoreDNS
// (plugin/kubernetes/object/metrics.go) measures it from an endpoints object's
// `endpoints.kubernetes.io/last-change-trigger-time` annotation, which the EndpointSlice
// controller sets, labelled by the kind of the one Service the slice belongs to. knet also
// measures a newly created ClusterIP Service from its creationTimestamp: its A record
// exists from the moment the view holds it, whatever its endpoints do.

import type { ServiceView } from '../kubernetes/index.ts';

export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

export type ServiceKind = 'cluster_ip' | 'headless_with_selector' | 'headless_without_selector';

export interface LatencySample {
  kind: ServiceKind;
  seconds: number;
}

function parseTime(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The sample for an EndpointSlice just applied to the view, or undefined when the slice
 * carries no (valid) trigger time or its Service is unknown (CoreDNS skips both: without the
 * annotation the slice was not written by the controller, and a lagging Service informer
 * is rare enough to accept).
 */
export function sliceLatency(slice: any, service: ServiceView | undefined, nowMs: number): LatencySample | undefined {
  const at = parseTime(slice?.metadata?.annotations?.[TRIGGER_TIME_ANNOTATION]);
  if (at === undefined || service === undefined || service.type === 'ExternalName') return undefined;
  return { kind: service.headless ? 'headless_with_selector' : 'cluster_ip', seconds: Math.max(0, (nowMs - at) / 1000) };
}

/**
 * The sample for a Service first seen after the initial sync. Only Services whose records
 * do not wait for endpoints count: ClusterIP ones (`cluster_ip`) and headless ones without a
 * selector (`headless_without_selector`, whose slices are written by hand). Headless
 * Services with a selector are measured through their slices.
 */
export function newServiceLatency(obj: any, view: ServiceView, nowMs: number): LatencySample | undefined {
  const at = parseTime(obj?.metadata?.creationTimestamp);
  if (at === undefined || view.type === 'ExternalName') return undefined;
  const hasSelector = obj?.spec?.selector !== undefined && obj?.spec?.selector !== null && Object.keys(obj.spec.selector).length > 0;
  let kind: ServiceKind;
  if (!view.headless) kind = 'cluster_ip';
  else if (!hasSelector) kind = 'headless_without_selector';
  else return undefined;
  return { kind, seconds: Math.max(0, (nowMs - at) / 1000) };
}
