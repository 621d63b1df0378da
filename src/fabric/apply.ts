// The thin applier: read what the node holds for knet (routes marked with knet's route
// protocol, the VXLAN device and its neighbour and FDB entries), compute the difference with
// a plan, apply it in one `ip -batch` and one `bridge -batch`. Running it again with the same
// plan changes nothing, so it is the backend's whole reconcile step when nodes come and go.

import type { HostOps } from '../host/index.ts';
import type { PlannedFdb, PlannedNeighbour, PlannedRoute, RoutePlan, VxlanDevice } from './plan.ts';
import { VXLAN_DEVICE } from './plan.ts';

/**
 * knet's routes carry `proto 75` (unassigned in iproute2's rt_protos), so the applier owns
 * exactly its routes and never touches connected routes or the CNI's per-pod routes.
 */
export const KNET_ROUTE_PROTO = 75;

export interface VxlanState {
  vni: number;
  port: number;
  local: string;
  learning: boolean;
  mac: string;
  mtu: number;
  up: boolean;
  addresses: string[];
}

export interface RouteState {
  vxlan?: VxlanState;
  routes: PlannedRoute[];
  neighbours: PlannedNeighbour[];
  fdb: PlannedFdb[];
}

export interface RouteChanges {
  ip: string[];
  bridge: string[];
}

interface LinkJson {
  ifname: string;
  mtu: number;
  address: string;
  flags?: string[];
  linkinfo?: { info_kind?: string; info_data?: { id?: number; port?: number; local?: string; learning?: boolean } };
}

export async function readRouteState(host: HostOps, netns: string): Promise<RouteState> {
  const [links, routes] = await Promise.all([
    host.ipJson<LinkJson>(netns, ['-d', 'link', 'show']),
    host.ipJson<{ dst: string; gateway?: string; dev: string; flags?: string[] }>(netns, ['route', 'show', 'table', 'main', 'proto', String(KNET_ROUTE_PROTO)]),
  ]);
  const state: RouteState = {
    routes: routes.filter((r) => r.gateway).map((r) => ({ dst: r.dst, via: r.gateway!, dev: r.dev, onlink: (r.flags ?? []).includes('onlink') })),
    neighbours: [],
    fdb: [],
  };
  const dev = links.find((l) => l.ifname === VXLAN_DEVICE);
  if (!dev) return state;
  const data = dev.linkinfo?.info_kind === 'vxlan' ? dev.linkinfo.info_data ?? {} : {};
  const [addrs, neigh, fdb] = await Promise.all([
    host.ipJson<{ addr_info?: { family: string; local: string; prefixlen: number }[] }>(netns, ['-4', 'addr', 'show', 'dev', VXLAN_DEVICE]),
    host.ipJson<{ dst: string; lladdr?: string }>(netns, ['neigh', 'show', 'dev', VXLAN_DEVICE, 'nud', 'permanent']),
    host.bridgeJson<{ mac: string; dst?: string }>(netns, ['fdb', 'show', 'dev', VXLAN_DEVICE]),
  ]);
  state.vxlan = {
    // A non-vxlan link squatting on the name reads as vni -1, so it gets replaced.
    vni: data.id ?? -1, port: data.port ?? -1, local: data.local ?? '', learning: data.learning ?? true,
    mac: dev.address, mtu: dev.mtu, up: (dev.flags ?? []).includes('UP'),
    addresses: (addrs[0]?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
  };
  state.neighbours = neigh.filter((n) => n.lladdr).map((n) => ({ ip: n.dst, mac: n.lladdr!, dev: VXLAN_DEVICE }));
  state.fdb = fdb.filter((f) => f.dst).map((f) => ({ mac: f.mac, dst: f.dst!, dev: VXLAN_DEVICE }));
  return state;
}

/** Pure: the batch lines that take `current` to `plan`. Deletions come before additions. */
export function diffRoutes(plan: RoutePlan, current: RouteState): RouteChanges {
  const ip: string[] = [];
  const del: string[] = [];
  const bridge: string[] = [];
  const want = plan.vxlan;
  const have = current.vxlan;
  // Entries bound to a device that is deleted (or re-created) vanish with it.
  const recreate = want !== undefined && (!have || !sameTunnel(want, have));
  const devGone = have !== undefined && (want === undefined || recreate);
  const alive = (dev: string): boolean => !(devGone && dev === VXLAN_DEVICE);
  const cur: RouteState = devGone ? { routes: current.routes.filter((r) => alive(r.dev)), neighbours: [], fdb: [] } : current;

  if (devGone) ip.push(`link del ${VXLAN_DEVICE}`);
  if (want) {
    if (recreate) ip.push(`link add ${want.name} type vxlan id ${want.vni} dstport ${want.port} local ${want.local} dev ${want.underlay} nolearning`);
    if (recreate || have!.mtu !== want.mtu || have!.mac !== want.mac || !have!.up) {
      ip.push(`link set ${want.name} mtu ${want.mtu} address ${want.mac} up`);
    }
    const addrs = recreate ? [] : have!.addresses;
    for (const a of addrs) if (a !== want.address) del.push(`addr del ${a} dev ${want.name}`);
    if (!addrs.includes(want.address)) ip.push(`addr replace ${want.address} dev ${want.name}`);
  }

  const routes = byKey(cur.routes, (r) => r.dst);
  for (const r of plan.routes) {
    const c = routes.get(r.dst);
    routes.delete(r.dst);
    if (c && c.via === r.via && c.dev === r.dev && c.onlink === r.onlink) continue;
    ip.push(`route replace ${r.dst} via ${r.via} dev ${r.dev}${r.onlink ? ' onlink' : ''} proto ${KNET_ROUTE_PROTO}`);
  }
  for (const r of routes.values()) del.push(`route del ${r.dst} via ${r.via} dev ${r.dev} proto ${KNET_ROUTE_PROTO}`);

  const neigh = byKey(cur.neighbours, (n) => n.ip);
  for (const n of plan.neighbours) {
    const c = neigh.get(n.ip);
    neigh.delete(n.ip);
    if (c && c.mac === n.mac) continue;
    ip.push(`neigh replace ${n.ip} lladdr ${n.mac} dev ${n.dev} nud permanent`);
  }
  for (const n of neigh.values()) del.push(`neigh del ${n.ip} dev ${n.dev}`);

  const fdb = byKey(cur.fdb, (f) => `${f.mac} ${f.dst}`);
  for (const f of plan.fdb) {
    if (fdb.delete(`${f.mac} ${f.dst}`)) continue;
    bridge.push(`fdb replace ${f.mac} dev ${f.dev} dst ${f.dst} self permanent`);
  }
  const stale = [...fdb.values()].map((f) => `fdb del ${f.mac} dev ${f.dev} dst ${f.dst} self`);
  return { ip: [...del, ...ip], bridge: [...stale, ...bridge] };
}

/** Reads the node's state (unless given), applies the difference, returns what it ran. */
export async function applyRoutes(host: HostOps, netns: string, plan: RoutePlan, current?: RouteState): Promise<RouteChanges> {
  const changes = diffRoutes(plan, current ?? (await readRouteState(host, netns)));
  // Routes and neighbours first: the FDB entries need the device the ip batch may create.
  await host.ipBatch(netns, changes.ip);
  await host.bridgeBatch(netns, changes.bridge);
  return changes;
}

function sameTunnel(want: VxlanDevice, have: VxlanState): boolean {
  return have.vni === want.vni && have.port === want.port && have.local === want.local && !have.learning;
}

function byKey<T>(items: T[], key: (t: T) => string): Map<string, T> {
  return new Map(items.map((i) => [key(i), i]));
}
