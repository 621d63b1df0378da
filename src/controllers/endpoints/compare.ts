// Whether the Endpoints object on the server differs from the desired one in anything
// this controller owns. Mirrors upstream's skip check in syncService: subsets (ignoring
// targetRef.resourceVersion), labels other than the headless marker, and the
// over-capacity annotation. Server-set metadata, the trigger-time annotation and
// annotations others added are not compared.

import { ANNOTATION_OVER_CAPACITY, LABEL_HEADLESS } from '../endpointslice/index.ts';
import { MAX_ENDPOINTS_CAPACITY } from './desired.ts';
import type { EndpointAddress, EndpointSubset } from './repack.ts';

function normAddress(a: EndpointAddress): unknown {
  const r = a.targetRef;
  return [a.ip, a.hostname ?? '', a.nodeName ?? null,
    r ? [r.kind ?? '', r.namespace ?? '', r.name ?? '', r.uid ?? '', r.apiVersion ?? '', r.fieldPath ?? ''] : null];
}

function normSubsets(subsets: EndpointSubset[] | undefined): string {
  return JSON.stringify((subsets ?? []).map((s) => [
    (s.addresses ?? []).map(normAddress),
    (s.notReadyAddresses ?? []).map(normAddress),
    (s.ports ?? []).map((p) => [p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? null]),
  ]));
}

function labelsWithoutHeadless(obj: any): Record<string, string> {
  const out: Record<string, string> = { ...(obj?.metadata?.labels ?? {}) };
  delete out[LABEL_HEADLESS];
  return out;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function addressCount(obj: any): number {
  return (obj?.subsets ?? []).reduce((n: number, s: EndpointSubset) =>
    n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
}

/** True when `current` (absent = not created yet) must be written to become `desired`. */
export function endpointsChanged(current: any, desired: any): boolean {
  if (!current) return true;
  if (normSubsets(current.subsets) !== normSubsets(desired.subsets)) return true;
  if (!sameMap(labelsWithoutHeadless(current), labelsWithoutHeadless(desired))) return true;
  // capacityAnnotationSetCorrectly: an over-full object, or an annotation that no
  // longer matches whether the desired object was truncated, needs a write.
  if (addressCount(current) > MAX_ENDPOINTS_CAPACITY) return true;
  const curOver = current.metadata?.annotations?.[ANNOTATION_OVER_CAPACITY];
  const wantOver = desired.metadata?.annotations?.[ANNOTATION_OVER_CAPACITY];
  return curOver !== wantOver;
}
