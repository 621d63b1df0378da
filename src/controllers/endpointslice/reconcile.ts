// The EndpointSlice reconciler: desired endpoints + existing slices -> the slices to
// create, update and delete. A deterministic rendering of upstream's Reconciler
// (k8s.io/endpointslice reconciler.go, v1.33): where upstream iterates Go maps or pops
// "any" element, this walks slices by name and endpoints in sorted order.

import { DEFAULT_MAX_ENDPOINTS_PER_SLICE, ENDPOINTSLICE_CONTROLLER_NAME } from './constants.ts';
import { serviceHasSelector, type DesiredEndpoints, type EndpointGroup } from './desired.ts';
import type { AddressType } from './ip-family.ts';
import type { Endpoint } from './pod-endpoint.ts';
import {
  endpointKey, endpointsEqualBeyondKey, isManagedBy, newEndpointSlice, ownedBy,
  placeholderEquals, portSetKey, setTriggerTime, sliceLabels,
} from './slice-meta.ts';
import { sliceNeedsHints, withHints } from './trafficdist.ts';

export interface ReconcileOptions {
  /** --max-endpoints-per-slice; default 100. */
  maxEndpointsPerSlice?: number;
  /** RFC 3339 time for the last-change-trigger-time annotation (see computeTriggerTime); absent clears it. */
  triggerTime?: string;
  /** managed-by value; default endpointslice-controller.k8s.io. */
  controllerName?: string;
}

export interface PlanEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  object?: { apiVersion: string; kind: string; namespace: string; name: string; uid?: string };
}

export interface SlicePlan {
  /** New slices (metadata.generateName set, no name). */
  create: any[];
  /** Whole objects to PUT; each keeps the name and resourceVersion of the slice it replaces. */
  update: any[];
  delete: any[];
  events: PlanEvent[];
  /** Some pods were skipped (unknown Node): sync the Service again later. */
  requeue: boolean;
}

interface Ctx {
  service: any;
  max: number;
  controllerName: string;
}

/**
 * Plan the writes that make `existingSlices` match `desired`. `existingSlices` may hold
 * every slice in the namespace: only those labelled as this Service's and managed by
 * this controller are touched; slices marked for deletion are ignored. Reconciling the
 * result again plans nothing.
 */
export function reconcileSlices(service: any, desired: DesiredEndpoints, existingSlices: any[], opts: ReconcileOptions = {}): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], events: [], requeue: false };
  if (!serviceHasSelector(service)) return plan;
  const ctx: Ctx = {
    service,
    max: Math.max(1, opts.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE),
    controllerName: opts.controllerName ?? ENDPOINTSLICE_CONTROLLER_NAME,
  };
  const mine = existingSlices
    .filter((s) => isManagedBy(s, service, ctx.controllerName) && s?.metadata?.deletionTimestamp == null)
    .sort(byName);

  const families = desired.addressTypes;
  for (const at of families) {
    const sub = reconcileAddressType(ctx, at, desired.groups.filter((g) => g.addressType === at),
      mine.filter((s) => s.addressType === at));
    plan.create.push(...sub.create);
    plan.update.push(...sub.update);
    plan.delete.push(...sub.delete);
  }
  // A family the Service no longer serves: its slices go, and are never reused.
  plan.delete.push(...mine.filter((s) => !families.includes(s.addressType)));

  if (service?.metadata?.deletionTimestamp != null) plan.create = [];
  // trafficDistribution hints: on everything written, and on slices left alone whose hints
  // are missing or stale (upstream's ReconcileHints runs at the same point).
  const mode = service?.spec?.trafficDistribution;
  const written = new Set([...plan.update, ...plan.delete].map((s) => s.metadata?.name));
  for (const s of mine) if (!written.has(s.metadata.name) && sliceNeedsHints(s, mode)) plan.update.push(s);
  plan.create = plan.create.map((s) => withHints(s, mode));
  plan.update = plan.update.map((s) => withHints(s, mode));
  for (const s of [...plan.create, ...plan.update]) setTriggerTime(s, opts.triggerTime);
  plan.update.sort(byName);
  plan.delete.sort(byName);

  if (desired.skipped.length > 0) {
    plan.requeue = true;
    const msgs = [...new Set(desired.skipped.map((s) => s.message))];
    const err = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
    const ns = service.metadata?.namespace ?? '', name = service.metadata?.name ?? '';
    plan.events.push({
      type: 'Warning', reason: 'FailedToUpdateEndpointSlices',
      message: `Error updating Endpoint Slices for Service ${ns}/${name}: ${err}`,
      object: { apiVersion: 'v1', kind: 'Service', namespace: ns, name, uid: service.metadata?.uid },
    });
  }
  return plan;
}

function reconcileAddressType(ctx: Ctx, at: AddressType, groups: EndpointGroup[], existing: any[]) {
  let create: any[] = [];
  const update: any[] = [];
  const del: any[] = [];

  const existingByPorts = new Map<string, any[]>();
  for (const s of existing) {
    if (!ownedBy(s, ctx.service)) { del.push(s); continue; }
    const k = portSetKey(s.ports);
    existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s]);
  }
  const desiredByPorts = new Map<string, EndpointGroup>();
  for (const g of groups) desiredByPorts.set(portSetKey(g.ports), g);

  for (const k of [...desiredByPorts.keys()].sort()) {
    const r = reconcilePortSet(ctx, at, desiredByPorts.get(k)!, existingByPorts.get(k) ?? []);
    create.push(...r.create);
    update.push(...r.update);
    del.push(...r.delete);
  }
  for (const [k, slices] of existingByPorts) if (!desiredByPorts.has(k)) del.push(...slices);

  // A Service with no endpoints of this family still gets one empty slice, so
  // consumers can tell "no endpoints" from "not processed yet".
  if (existing.length === del.length && create.length === 0) {
    const placeholder = newEndpointSlice(ctx.service, at, [], ctx.controllerName);
    if (del.length === 1 && placeholderEquals(del[0], placeholder)) del.length = 0;
    else create.push(placeholder);
  }

  // Rather than delete one slice and create another, rewrite the doomed slice in place.
  for (let i = 0; i < del.length && create.length > 0;) {
    const doomed = del[i];
    if (doomed.addressType === at && ownedBy(doomed, ctx.service)) {
      const fresh = create[create.length - 1];
      create = create.slice(0, -1);
      fresh.metadata = { ...fresh.metadata, name: doomed.metadata.name };
      if (doomed.metadata.resourceVersion) fresh.metadata.resourceVersion = doomed.metadata.resourceVersion;
      update.push(fresh);
      del.splice(i, 1);
    } else {
      i++;
    }
  }
  return { create, update, delete: del };
}

/** reconcileByPortMapping: keep endpoints where they are, fill partly used slices, then create. */
function reconcilePortSet(ctx: Ctx, at: AddressType, group: EndpointGroup, existing: any[]) {
  const wanted = new Map<string, Endpoint>();
  for (const ep of group.endpoints) wanted.set(endpointKey(ep), ep);
  const slicesByName = new Map<string, any>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  // 1. Drop endpoints no longer wanted, refresh changed ones in place, sync labels.
  for (const slice of existing) {
    const name = slice.metadata.name;
    slicesByName.set(name, slice);
    const kept: Endpoint[] = [];
    let changed = false;
    const current: any[] = slice.endpoints ?? [];
    for (const ep of current) {
      const k = endpointKey(ep);
      const want = wanted.get(k);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, ep)) changed = true;
      wanted.delete(k);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, ctx.service, ctx.controllerName);
    if (changed || kept.length !== current.length) {
      if (kept.length === 0) {
        toDelete.add(name);
      } else {
        slicesByName.set(name, { ...slice, metadata: { ...slice.metadata, labels }, endpoints: kept });
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      slicesByName.set(name, { ...slice, metadata: { ...slice.metadata, labels }, endpoints: [...current] });
      toUpdate.add(name);
    } else {
      unchanged.add(name);
    }
  }

  const pop = (): Endpoint => {
    const [k, ep] = wanted.entries().next().value!;
    wanted.delete(k);
    return ep;
  };

  // 2. Slices already being rewritten take new endpoints first, fullest first.
  if (wanted.size > 0 && toUpdate.size > 0) {
    const filling = [...toUpdate].map((n) => slicesByName.get(n))
      .sort((a, b) => b.endpoints.length - a.endpoints.length || byName(a, b));
    for (const slice of filling) {
      while (wanted.size > 0 && slice.endpoints.length < ctx.max) slice.endpoints.push(pop());
    }
  }

  // 3. Leftovers: one untouched slice with room for all of them, else new slices.
  const create: any[] = [];
  while (wanted.size > 0) {
    let target: any;
    if (wanted.size < ctx.max && unchanged.size > 0) {
      const candidate = sliceToFill([...unchanged].sort().map((n) => slicesByName.get(n)), wanted.size, ctx.max);
      if (candidate) {
        target = { ...candidate, metadata: { ...candidate.metadata }, endpoints: [...(candidate.endpoints ?? [])] };
        slicesByName.set(target.metadata.name, target);
      }
    }
    target ??= newEndpointSlice(ctx.service, at, group.ports, ctx.controllerName);
    while (wanted.size > 0 && target.endpoints.length < ctx.max) target.endpoints.push(pop());
    if (target.metadata.name) {
      toUpdate.add(target.metadata.name);
      unchanged.delete(target.metadata.name);
    } else {
      create.push(target);
    }
  }

  return {
    create,
    update: [...toUpdate].sort().map((n) => slicesByName.get(n)),
    delete: [...toDelete].sort().map((n) => slicesByName.get(n)),
  };
}

/** getSliceToFill: the slice left closest to full after taking `count` more endpoints. */
function sliceToFill(slices: any[], count: number, max: number): any | undefined {
  let best: any;
  let bestGap = max;
  for (const s of slices) {
    const gap = max - (count + (s.endpoints?.length ?? 0));
    if (gap >= 0 && gap < bestGap) {
      best = s;
      bestGap = gap;
      if (gap === 0) break;
    }
  }
  return best;
}

function byName(a: any, b: any): number {
  const x = a?.metadata?.name ?? '', y = b?.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
