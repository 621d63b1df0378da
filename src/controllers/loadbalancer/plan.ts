// knet's "cloud provider" for Services of type LoadBalancer, in the manner of MetalLB's
// controller: decide which pool address each Service publishes in
// status.loadBalancer.ingress. Everything is recomputed from the Services on each call, so
// the status is the only state and a restart changes nothing.
//
// Whose Services: type LoadBalancer with no spec.loadBalancerClass or knet's class. Other
// classes belong to another implementation and are never written (their published
// addresses are still avoided, so two implementations never hand out one address).
//
// Who gets which address, in this order (age = creationTimestamp, then namespace/name):
//   1. Holders keep what they publish, if it is in the pool and still what they ask for;
//      two holders of one address: the older keeps it.
//   2. Requested addresses (spec.loadBalancerIP, deprecated but honoured, or the
//      metallb.universe.tf/loadBalancerIPs or metallb.io/loadBalancerIPs annotation):
//      refused when outside the pool or already used; between two requesters, the older.
//   3. Everyone else: the lowest free pool address; refused when none is left.
// A Service whose request is malformed keeps what it holds and gets a Warning. Services no
// longer of type LoadBalancer lose their published addresses, which return to the pool.
//
// Upstream 1.33 validation wants ipMode with every ingress ip; knet writes VIP (traffic to
// the address is handled by the node's Service rules) and no ports.

import { formatIPv4, parseIPv4 } from '../../lib/ip.ts';
import { lowestFree, parsePool, poolContains } from './pool.ts';
import type { AddressPool } from './pool.ts';

export const KNET_LOAD_BALANCER_CLASS = 'knet.dev/lb';
export const ANNOTATION_LB_IPS = 'metallb.universe.tf/loadBalancerIPs';
export const ANNOTATION_LB_IPS_IO = 'metallb.io/loadBalancerIPs';

export interface LoadBalancerPlanOptions {
  /** The class this controller serves besides unset; default knet.dev/lb. */
  loadBalancerClass?: string;
}

export interface ServiceRef {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: { name: string; namespace: string; uid?: string };
}

export interface LoadBalancerIngress {
  ip: string;
  ipMode: 'VIP';
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  object: ServiceRef;
}

export interface LoadBalancerPlan {
  /** Services whose status.loadBalancer must become { ingress }. */
  update: { service: ServiceRef; ingress: LoadBalancerIngress[] }[];
  /** Services whose status.loadBalancer must become {}. */
  clear: ServiceRef[];
  events: PlannedEvent[];
  /** Every address knet's Services hold once the plan is applied, by address. */
  allocations: { ip: string; namespace: string; name: string }[];
}

interface Candidate {
  svc: any;
  key: string;
  ref: ServiceRef;
  requested?: string;
  invalid?: string;
  current: string[];
  ip?: string;
  refusal?: string;
}

function keyOf(svc: any): string {
  return `${svc.metadata.namespace}/${svc.metadata.name}`;
}

function refOf(svc: any): ServiceRef {
  const m = svc.metadata;
  const ref: ServiceRef = { apiVersion: 'v1', kind: 'Service', metadata: { name: m.name, namespace: m.namespace } };
  if (m.uid) ref.metadata.uid = m.uid;
  return ref;
}

function byAge(a: any, b: any): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function publishedIPs(svc: any): string[] {
  return (svc?.status?.loadBalancer?.ingress ?? []).map((i: any) => i?.ip).filter((ip: unknown) => typeof ip === 'string' && ip !== '');
}

/** The requested address, or why the request cannot be read. */
function readRequest(svc: any): { requested?: string; invalid?: string } {
  const asked = new Set<string>();
  if (svc.spec?.loadBalancerIP) asked.add(String(svc.spec.loadBalancerIP).trim());
  const ann = svc.metadata?.annotations ?? {};
  for (const k of [ANNOTATION_LB_IPS, ANNOTATION_LB_IPS_IO]) {
    for (const s of String(ann[k] ?? '').split(',')) if (s.trim()) asked.add(s.trim());
  }
  if (asked.size === 0) return {};
  const list = [...asked];
  if (list.length > 1) return { invalid: `more than one address requested (${list.join(', ')}); knet serves one IPv4 address per Service` };
  if (parseIPv4(list[0]) === undefined) return { invalid: `"${list[0]}" is not an IPv4 address` };
  return { requested: list[0] };
}

function isOurs(svc: any, cls: string): boolean {
  if (svc?.spec?.type !== 'LoadBalancer') return false;
  const c = svc.spec.loadBalancerClass;
  return c === undefined || c === null || c === '' || c === cls;
}

function alreadyPublished(svc: any, ip: string): boolean {
  const ing = svc?.status?.loadBalancer?.ingress ?? [];
  return ing.length === 1 && ing[0]?.ip === ip && ing[0]?.ipMode === 'VIP' && !ing[0]?.hostname && !ing[0]?.ports;
}

/** Decides status.loadBalancer of every Service. `pool` as in the controllers config. */
export function planLoadBalancerIPs(services: any[], poolEntries: readonly string[], opts: LoadBalancerPlanOptions = {}): LoadBalancerPlan {
  const pool: AddressPool = parsePool(poolEntries);
  const cls = opts.loadBalancerClass ?? KNET_LOAD_BALANCER_CLASS;
  const plan: LoadBalancerPlan = { update: [], clear: [], events: [], allocations: [] };
  const sorted = services.filter((s) => s?.metadata?.name).sort(byAge);
  const owner = new Map<number, string>(); // address -> "ns/name" holding it

  // Addresses published by other implementations are off limits, not ours to manage.
  for (const svc of sorted) {
    if (svc.spec?.type !== 'LoadBalancer' || isOurs(svc, cls)) continue;
    for (const ip of publishedIPs(svc)) {
      const n = parseIPv4(ip);
      if (n !== undefined && !owner.has(n)) owner.set(n, keyOf(svc));
    }
  }

  const ours: Candidate[] = [];
  for (const svc of sorted) {
    if (isOurs(svc, cls)) ours.push({ svc, key: keyOf(svc), ref: refOf(svc), current: publishedIPs(svc), ...readRequest(svc) });
    else if (svc.spec?.type !== 'LoadBalancer' && publishedIPs(svc).length > 0) plan.clear.push(refOf(svc));
  }

  const take = (c: Candidate, n: number) => {
    owner.set(n, c.key);
    c.ip = formatIPv4(n);
  };
  for (const c of ours) {
    const held = c.current.map(parseIPv4).find((n) => n !== undefined && poolContains(pool, n));
    if (held === undefined || owner.has(held)) continue;
    if (c.requested === undefined || c.requested === formatIPv4(held)) take(c, held);
  }
  for (const c of ours) {
    if (c.ip || c.requested === undefined) continue;
    const n = parseIPv4(c.requested)!;
    if (!poolContains(pool, n)) c.refusal = `requested IP "${c.requested}" is outside the LoadBalancer pool ${pool.text}`;
    else if (owner.has(n)) c.refusal = `requested IP "${c.requested}" is already used by service ${owner.get(n)}`;
    else take(c, n);
  }
  for (const c of ours) {
    if (c.ip || c.refusal || c.requested !== undefined || c.invalid) continue;
    const ip = lowestFree(pool, new Set(owner.keys()));
    if (ip === undefined) c.refusal = `no available IPs in pool ${pool.text}`;
    else take(c, parseIPv4(ip)!);
  }

  for (const c of ours) {
    if (c.invalid) {
      plan.events.push({ type: 'Warning', reason: 'LoadBalancerFailed', message: `invalid requested loadbalancer IPs: ${c.invalid}`, object: c.ref });
    }
    if (c.ip) {
      if (alreadyPublished(c.svc, c.ip)) continue;
      plan.update.push({ service: c.ref, ingress: [{ ip: c.ip, ipMode: 'VIP' }] });
      if (!c.current.includes(c.ip)) {
        plan.events.push({ type: 'Normal', reason: 'IPAllocated', message: `Assigned IP ${JSON.stringify([c.ip])}`, object: c.ref });
      }
      continue;
    }
    if (c.refusal) {
      plan.events.push({ type: 'Warning', reason: 'AllocationFailed', message: `Failed to allocate IP for "${c.key}": ${c.refusal}`, object: c.ref });
    }
    if (c.current.length > 0) plan.clear.push(c.ref);
  }

  for (const [n, key] of owner) {
    const c = ours.find((x) => x.key === key);
    if (c?.ip === formatIPv4(n)) plan.allocations.push({ ip: c.ip, namespace: c.ref.metadata.namespace, name: c.ref.metadata.name });
  }
  plan.allocations.sort((a, b) => parseIPv4(a.ip)! - parseIPv4(b.ip)!);
  const byKey = (a: ServiceRef, b: ServiceRef) => {
    const ka = `${a.metadata.namespace}/${a.metadata.name}`;
    const kb = `${b.metadata.namespace}/${b.metadata.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  plan.update.sort((a, b) => byKey(a.service, b.service));
  plan.clear.sort(byKey);
  return plan;
}

/**
 * A merge-patch body for the status subresource: the ingress for an update, or (no argument)
 * the null that removes it for a clear (an empty object would merge into the old list).
 */
export function loadBalancerStatusPatch(ingress?: LoadBalancerIngress[]): any {
  return { status: { loadBalancer: { ingress: ingress ?? null } } };
}
