// Which Services select a pod, answered without scanning every Service of the namespace: the
// Services informer is indexed by each `key=value` pair of their selectors, a pod's
// candidates are the Services indexed under one of its labels, and only those are matched in
// full. Shared by the EndpointSlice and Endpoints controllers (upstream:
// GetPodServiceMemberships).

import type { Informer } from '../k8s/informer.ts';
import { objectKey } from '../k8s/informer.ts';

const INDEX = 'selector-pair';

export function indexServicesBySelector(services: Informer): void {
  services.addIndex(INDEX, (svc) => {
    const sel: Record<string, string> | undefined = svc.spec?.selector;
    if (!sel || !Object.keys(sel).length) return [];
    return Object.entries(sel).map(([k, v]) => `${svc.metadata.namespace}/${k}=${v}`);
  });
}

/** Keys (ns/name) of the Services whose selector matches any of the given pods' labels. */
export function servicesSelecting(services: Informer, ...pods: any[]): Set<string> {
  const out = new Set<string>();
  for (const pod of pods) {
    if (!pod?.metadata) continue;
    const ns = pod.metadata.namespace;
    const labels: Record<string, string> = pod.metadata.labels ?? {};
    for (const [k, v] of Object.entries(labels)) {
      for (const svc of services.byIndex(INDEX, `${ns}/${k}=${v}`)) {
        if (out.has(objectKey(svc))) continue;
        if (Object.entries(svc.spec.selector as Record<string, string>).every(([sk, sv]) => labels[sk] === sv)) out.add(objectKey(svc));
      }
    }
  }
  return out;
}

const POD_INDEX = 'label-pair';

export function indexPodsByLabel(pods: Informer): void {
  pods.addIndex(POD_INDEX, (p) => Object.entries(p.metadata?.labels ?? {}).map(([k, v]) => `${p.metadata.namespace}/${k}=${v}`));
}

/**
 * A superset of the pods a Service selects, small enough to match in full: the pods carrying
 * the rarest pair of the selector (all of the namespace's pods when it has no selector).
 */
export function candidatePods(pods: Informer, svc: any): any[] {
  const ns = svc.metadata.namespace;
  const sel: Record<string, string> | undefined = svc.spec?.selector;
  if (!sel || !Object.keys(sel).length) return pods.list(ns);
  let best: any[] | undefined;
  for (const [k, v] of Object.entries(sel)) {
    const c = pods.byIndex(POD_INDEX, `${ns}/${k}=${v}`);
    if (!best || c.length < best.length) best = c;
    if (!best.length) break;
  }
  return best!;
}
