// DNS programming latency (the SIG Scalability SLI "DNS programming latency"): seconds from
// the API change that caused an update to the moment the view answers with it. CoreDNS
// (plugin/kubernetes/object/metrics.go) measures it only from an endpoints object's
// `endpoints.kubernetes.io/last-change-trigger-time` annotation, which the EndpointSlice
// controller sets, labelled by the kind of the one Service the slice belongs to; it never
// records `headless_without_selector` ("not yet supported"). knet adds one sample CoreDNS
// lacks: a new Service without a selector, measured from its creationTimestamp (its slices,
// written by hand, carry no trigger time). A Service with a selector is measured by its
// slice alone, so one change is never counted twice.

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
 * The sample for a Service first seen after the initial sync, for Services without a
 * selector only: ClusterIP ones (`cluster_ip`, the A record exists from creation) and
 * headless ones (`headless_without_selector`). With a selector the EndpointSlice controller
 * writes a slice with a trigger time, and that slice is the sample.
 */
export function newServiceLatency(obj: any, view: ServiceView, nowMs: number): LatencySample | undefined {
  const at = parseTime(obj?.metadata?.creationTimestamp);
  if (at === undefined || view.type === 'ExternalName') return undefined;
  const selector = obj?.spec?.selector;
  if (selector !== undefined && selector !== null && Object.keys(selector).length > 0) return undefined;
  return { kind: view.headless ? 'headless_without_selector' : 'cluster_ip', seconds: Math.max(0, (nowMs - at) / 1000) };
}
