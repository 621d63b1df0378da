// Backends as pure planners (flannel's host-gw and vxlan): from this node and the nodes the
// API lists, the routes, neighbours and forwarding entries the node should hold. apply.ts
// turns the difference between a plan and the kernel's state into one batch.

import { formatIPv4, parseCidr4, parseIPv4 } from '../lib/ip.ts';
import { KnetError } from '../lib/errors.ts';
import { NODE_UPLINK } from './names.ts';

export type Backend = 'host-gw' | 'vxlan';

export interface NodeSelf {
  name: string;
  ip: string;
  /** Needed by vxlan (the VTEP address comes from it); host-gw ignores it. */
  podCIDR?: string;
}

export interface NodeView {
  name: string;
  ip?: string;
  podCIDR?: string;
}

export interface PlannedRoute {
  dst: string;
  via: string;
  dev: string;
  onlink: boolean;
}

export interface PlannedNeighbour {
  ip: string;
  mac: string;
  dev: string;
}

export interface PlannedFdb {
  mac: string;
  /** The remote node's fabric IP: where frames for `mac` are sent, encapsulated. */
  dst: string;
  dev: string;
}

export interface VxlanDevice {
  name: string;
  vni: number;
  port: number;
  local: string;
  underlay: string;
  mac: string;
  mtu: number;
  /** `<pod CIDR network>/32`, as flannel gives flannel.1. */
  address: string;
}

export interface RoutePlan {
  backend: Backend;
  vxlan?: VxlanDevice;
  routes: PlannedRoute[];
  neighbours: PlannedNeighbour[];
  fdb: PlannedFdb[];
}

export const VXLAN_DEVICE = 'knet.1';
export const VXLAN_VNI = 1;
/** Linux's historical VXLAN port, which flannel uses too (IANA's is 4789). */
export const VXLAN_PORT = 8472;
/** 1500 on eth0 minus 50 bytes of outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
export const VXLAN_MTU = 1450;

/**
 * A node's VTEP MAC, computed from its fabric IP so that peers derive it without an API round
 * trip: 0e:6b ('k') then the four IP bytes. 0x0e has the locally-administered bit set and the
 * multicast bit clear (IEEE 802 section 8.2), so it never clashes with a real vendor address.
 */
export function vtepMac(nodeIP: string): string {
  const n = parseIPv4(nodeIP);
  if (n === undefined) throw new KnetError('bad-ip', `node IP "${nodeIP}" is not an IPv4 address`);
  const bytes = [0x0e, 0x6b, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The VTEP address of a node: the network address of its pod CIDR (flannel's choice). */
export function vtepAddress(podCIDR: string): string {
  return formatIPv4(parseCidr4(podCIDR).base);
}

function remotes(self: NodeSelf, nodes: NodeView[]): { name: string; ip: string; podCIDR: string }[] {
  const out = nodes
    .filter((n) => n.name !== self.name && n.ip && n.podCIDR)
    .map((n) => ({ name: n.name, ip: n.ip!, podCIDR: formatCidr(n.podCIDR!) }));
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** host-gw: the fabric is one L2 segment, so each pod CIDR is reached via its node's IP. */
export function planHostGwRoutes(self: NodeSelf, nodes: NodeView[]): RoutePlan {
  return {
    backend: 'host-gw',
    routes: remotes(self, nodes).map((n) => ({ dst: n.podCIDR, via: n.ip, dev: NODE_UPLINK, onlink: false })),
    neighbours: [],
    fdb: [],
  };
}

/**
 * vxlan: one device; per remote node a route to its pod CIDR via its VTEP address (onlink: that
 * address is in no local subnet), a permanent ARP entry for that address, and an FDB entry that
 * sends frames for its VTEP MAC to its fabric IP. Learning is off: the entries are the truth.
 */
export function planVxlan(self: NodeSelf, nodes: NodeView[]): RoutePlan {
  if (!self.podCIDR) throw new KnetError('no-pod-cidr', `node "${self.name}" has no podCIDR yet; vxlan needs it for its VTEP address`);
  const dev = VXLAN_DEVICE;
  const rs = remotes(self, nodes);
  return {
    backend: 'vxlan',
    vxlan: {
      name: dev, vni: VXLAN_VNI, port: VXLAN_PORT, local: self.ip, underlay: NODE_UPLINK,
      mac: vtepMac(self.ip), mtu: VXLAN_MTU, address: `${vtepAddress(self.podCIDR)}/32`,
    },
    routes: rs.map((n) => ({ dst: n.podCIDR, via: vtepAddress(n.podCIDR), dev, onlink: true })),
    neighbours: rs.map((n) => ({ ip: vtepAddress(n.podCIDR), mac: vtepMac(n.ip), dev })),
    fdb: rs.map((n) => ({ mac: vtepMac(n.ip), dst: n.ip, dev })),
  };
}

export function planRoutes(backend: Backend, self: NodeSelf, nodes: NodeView[]): RoutePlan {
  return backend === 'vxlan' ? planVxlan(self, nodes) : planHostGwRoutes(self, nodes);
}

/** Canonical form (10.244.1.7/24 -> 10.244.1.0/24) so plans compare equal to kernel output. */
function formatCidr(s: string): string {
  const c = parseCidr4(s);
  return `${formatIPv4(c.base)}/${c.prefix}`;
}
