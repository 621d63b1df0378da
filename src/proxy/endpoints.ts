// Which endpoints a Service port sends traffic to, as kube-proxy's CategorizeEndpoints
// (pkg/proxy/topology.go) decides it: ready endpoints; if none is ready, the serving and
// terminating ones; the same rule applied separately to this node's endpoints for the
// Local policies. Zone hints (trafficDistribution: PreferClose) narrow the cluster list to
// the endpoints hinted for this node's zone, but only when every ready endpoint has a hint
// and at least one names this zone, so a half-hinted Service is never cut short.

import { parseIPv4 } from '../lib/ip.ts';
import type { ServicePortView, SliceView } from './snapshot.ts';

export interface Backend {
  address: string;
  port: number;
}

export interface PortEndpoints {
  /** Endpoints for Cluster policy (and for short-circuited pod/host traffic), sorted. */
  cluster: Backend[];
  /** This node's endpoints for Local policies, sorted. */
  local: Backend[];
  /** Some endpoint is usable anywhere: without one, traffic is rejected rather than dropped. */
  hasAny: boolean;
}

interface Candidate extends Backend {
  local: boolean;
  ready: boolean;
  servingTerminating: boolean;
  zoneHints?: string[];
}

/** Slices of one Service, IPv4 only, in name order (so duplicates resolve the same way each time). */
export function slicesByService(slices: readonly SliceView[]): Map<string, SliceView[]> {
  const out = new Map<string, SliceView[]>();
  const sorted = [...slices].filter((s) => s.addressType === 'IPv4' && s.serviceName !== '')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const s of sorted) {
    const key = `${s.namespace}/${s.serviceName}`;
    const list = out.get(key);
    if (list) list.push(s); else out.set(key, [s]);
  }
  return out;
}

/**
 * The endpoints of one Service port. The slice port that serves it has the same name and
 * protocol (the EndpointSlice controller has already resolved named targetPorts per pod).
 */
export function portEndpoints(sp: ServicePortView, slices: readonly SliceView[], nodeName: string, nodeZone?: string): PortEndpoints {
  const byKey = new Map<string, Candidate>();
  for (const slice of slices) {
    const port = slice.ports.find((p) => p.name === sp.name && p.protocol === sp.protocol);
    if (!port || port.port < 1 || port.port > 65535) continue;
    for (const ep of slice.endpoints) {
      if (parseIPv4(ep.address) === undefined) continue;
      const c: Candidate = {
        address: ep.address, port: port.port, local: ep.nodeName === nodeName,
        ready: ep.ready, servingTerminating: ep.serving && ep.terminating, zoneHints: ep.zoneHints,
      };
      const key = `${c.address}:${c.port}`;
      const prev = byKey.get(key);
      // The same endpoint in two slices (mid-migration): the more usable copy wins.
      if (!prev || (!prev.ready && c.ready)) byKey.set(key, c);
    }
  }
  const all = [...byKey.values()];
  const pick = (pool: Candidate[]): Backend[] => {
    const ready = pool.filter((c) => c.ready);
    const chosen = ready.length > 0 ? ready : pool.filter((c) => c.servingTerminating);
    // Addresses parsed once per endpoint, not once per comparison.
    return chosen.map((c) => ({ b: { address: c.address, port: c.port }, n: ipNumber(c.address) }))
      .sort((x, y) => (x.n !== y.n ? x.n - y.n : x.b.port - y.b.port)).map((x) => x.b);
  };
  const cluster = pick(all);
  const zoned = nodeZone && canUseZoneHints(all, nodeZone) ? pick(all.filter((c) => c.ready && c.zoneHints!.includes(nodeZone))) : undefined;
  return { cluster: zoned ?? cluster, local: pick(all.filter((c) => c.local)), hasAny: cluster.length > 0 };
}

/** kube-proxy's canUseTopology: every ready endpoint is hinted, and some hint names this zone. */
function canUseZoneHints(all: Candidate[], zone: string): boolean {
  let forZone = false;
  for (const c of all) {
    if (!c.ready) continue;
    if (!c.zoneHints || c.zoneHints.length === 0) return false;
    if (c.zoneHints.includes(zone)) forZone = true;
  }
  return forZone;
}

export function compareBackends(a: Backend, b: Backend): number {
  const x = ipNumber(a.address), y = ipNumber(b.address);
  return x !== y ? x - y : a.port - b.port;
}

function ipNumber(s: string): number {
  return parseIPv4(s) ?? 0;
}
