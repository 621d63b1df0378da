// The cluster's "datacenter network": a fabric namespace with bridge br0 (172.18.0.1/16) and
// one namespace per node whose eth0 is a veth into that bridge. Every step converges from
// whatever is there, so re-running after a crash repairs instead of failing.

import type { HostOps } from '../host/index.ts';
import {
  FABRIC_BRIDGE, FABRIC_GATEWAY, FABRIC_PREFIX_LEN, NODE_UPLINK,
  clusterPrefix, fabricNetns, fabricPort, nodeIP, nodeMac, nodeNetns,
} from './names.ts';

export interface NodeLink {
  netns: string;
  ip: string;
  ifname: string;
}

interface LinkJson {
  ifindex: number;
  ifname: string;
  link_index?: number;
  master?: string;
  flags?: string[];
}

interface AddrJson {
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

export async function createFabric(host: HostOps, cluster: string): Promise<string> {
  const ns = fabricNetns(cluster);
  await host.createNetns(ns);
  const links = await host.ipJson<LinkJson>(ns, ['link', 'show']);
  const lines = links.some((l) => l.ifname === FABRIC_BRIDGE) ? [] : [`link add ${FABRIC_BRIDGE} type bridge`];
  lines.push(
    'link set lo up',
    `addr replace ${FABRIC_GATEWAY}/${FABRIC_PREFIX_LEN} dev ${FABRIC_BRIDGE}`,
    `link set ${FABRIC_BRIDGE} up`,
  );
  await host.ipBatch(ns, lines);
  await host.sysctl(ns, 'net.ipv4.ip_forward', '1');
  return ns;
}

/**
 * Makes node `index` present and wired: its namespace, eth0 <-> n<index> on br0, its address,
 * a default route to the fabric gateway (nothing leads to the host). Needs createFabric first.
 */
export async function addNode(host: HostOps, cluster: string, nodeName: string, index: number): Promise<NodeLink> {
  const fabric = fabricNetns(cluster);
  const ns = nodeNetns(cluster, nodeName);
  const addr = nodeIP(index);
  const port = fabricPort(index);
  await host.createNetns(ns);

  const [fabricLinks, nodeLinks] = await Promise.all([
    host.ipJson<LinkJson>(fabric, ['link', 'show']),
    host.ipJson<LinkJson>(ns, ['link', 'show']),
  ]);
  const outer = fabricLinks.find((l) => l.ifname === port);
  const inner = nodeLinks.find((l) => l.ifname === NODE_UPLINK);
  // A pair is intact when each end names the other; anything else (half a pair after a crash,
  // a port left by another node with this index) is removed and the pair made anew.
  const paired = outer && inner && outer.link_index === inner.ifindex && inner.link_index === outer.ifindex;
  if (!paired) {
    if (inner) await host.ip(ns, ['link', 'del', NODE_UPLINK]);
    if (outer && (await linkExists(host, fabric, port))) await host.ip(fabric, ['link', 'del', port]);
    await host.ip(fabric, ['link', 'add', port, 'type', 'veth', 'peer', 'name', NODE_UPLINK, 'netns', ns]);
  }

  const stale = await staleAddresses(host, ns, NODE_UPLINK, `${addr}/${FABRIC_PREFIX_LEN}`);
  await Promise.all([
    host.ipBatch(fabric, [`link set ${port} master ${FABRIC_BRIDGE}`, `link set ${port} up`]),
    host.ipBatch(ns, [
      'link set lo up',
      ...stale.map((a) => `addr del ${a} dev ${NODE_UPLINK}`),
      `link set ${NODE_UPLINK} address ${nodeMac(index)}`,
      `addr replace ${addr}/${FABRIC_PREFIX_LEN} dev ${NODE_UPLINK}`,
      `link set ${NODE_UPLINK} up`,
      `route replace default via ${FABRIC_GATEWAY} dev ${NODE_UPLINK}`,
    ]),
    host.sysctl(ns, 'net.ipv4.ip_forward', '1'),
  ]);
  return { netns: ns, ip: addr, ifname: NODE_UPLINK };
}

/** Removes the node's namespace (its eth0 and so the fabric port go with it). */
export async function removeNode(host: HostOps, cluster: string, nodeName: string, index: number): Promise<void> {
  await host.deleteNetns(nodeNetns(cluster, nodeName));
  const fabric = fabricNetns(cluster);
  // Only if the port survived (its peer moved elsewhere): normally it died with the namespace.
  if (await host.netnsExists(fabric) && (await linkExists(host, fabric, fabricPort(index)))) {
    await host.ip(fabric, ['link', 'del', fabricPort(index)]);
  }
}

/**
 * Every namespace of the cluster: names under `knet-<cluster>-`, minus those of another
 * cluster whose name extends this one (`a-b` for `a`) and whose fabric still exists. The
 * fabric is removed last, so it marks ownership until nothing else of its cluster is left.
 */
export async function clusterNamespaces(host: HostOps, cluster: string): Promise<string[]> {
  const prefix = clusterPrefix(cluster);
  const names = await host.listNetns(prefix);
  const others = names
    .filter((n) => n.endsWith('-fabric') && n !== fabricNetns(cluster))
    .map((n) => n.slice(0, -'fabric'.length));
  return names.filter((n) => !others.some((p) => n.startsWith(p)));
}

/** Deletes all of the cluster's namespaces (stop their processes first); returns their names. */
export async function destroyCluster(host: HostOps, cluster: string): Promise<string[]> {
  const names = await clusterNamespaces(host, cluster);
  const fabric = fabricNetns(cluster);
  const rest = names.filter((n) => n !== fabric);
  await Promise.all(rest.map((n) => host.deleteNetns(n)));
  if (names.includes(fabric)) await host.deleteNetns(fabric);
  return names;
}

async function linkExists(host: HostOps, ns: string, name: string): Promise<boolean> {
  const links = await host.ipJson<LinkJson>(ns, ['link', 'show']);
  return links.some((l) => l.ifname === name);
}

async function staleAddresses(host: HostOps, ns: string, dev: string, want: string): Promise<string[]> {
  const [info] = await host.ipJson<AddrJson>(ns, ['-4', 'addr', 'show', 'dev', dev]);
  return (info?.addr_info ?? [])
    .filter((a) => a.family === 'inet')
    .map((a) => `${a.local}/${a.prefixlen}`)
    .filter((a) => a !== want);
}
