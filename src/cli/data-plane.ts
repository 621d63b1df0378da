// The data plane of a cluster on this machine: the fabric namespace, one namespace per node
// joined to it, and per node the network backend (routes to the other nodes' pod CIDRs) and
// the node agent that runs the node's pods through CNI. All of it talks to the API server
// like any client. Leftovers of a crashed run (namespaces and the processes in them) are
// cleaned first, so `knet up` after a crash starts from a known state.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeClient } from '../k8s/client.ts';
import type { ClientConfig } from '../k8s/client.ts';
import { realHost, runChecked } from '../host/index.ts';
import type { HostOps } from '../host/index.ts';
import { addNode, clusterNamespaces, createFabric, destroyCluster, fabricNetns, nodeIP, nodeNetns, startLoadBalancerPublisher, startRouteSync } from '../fabric/index.ts';
import type { Backend, LoadBalancerPublisher, RouteSync } from '../fabric/index.ts';
import { startNetnsDialer } from '../host/index.ts';
import { cniPodNetwork, parseResolvConf, startNodeAgent } from '../agent/index.ts';
import type { NodeAgent } from '../agent/index.ts';
import { imageProgram, installBusyboxApplets } from '../images/index.ts';
import { startNodeProxy } from '../proxy/index.ts';
import type { Proxier } from '../proxy/index.ts';
import type { Logger } from '../lib/log.ts';
import { startApiRelay } from './api-relay.ts';
import { clustersDir } from './paths.ts';
import type { ApiRelay } from './api-relay.ts';

export interface DataPlaneOptions {
  cluster: string;
  nodes: number;
  backend: Backend;
  api: ClientConfig;
  dataDir: string;
  /** Host address LoadBalancer Services are published on (default 127.0.0.1). */
  publishHost?: string;
  /** CNI_PATH for the nodes' plugins (tests put a failing plugin first); default knet's, then Debian's. */
  cniPath?: readonly string[];
  /** Crash-loop back-off of the node agents (tests shorten it). */
  restartBackoff?: { initialMs: number; maxMs: number };
  log: Logger;
}

export interface NodeInfo {
  name: string;
  ip: string;
  netns: string;
}

export interface DataPlane {
  nodes: NodeInfo[];
  /** Stops a node's service proxy and starts a fresh one (its first sync is a full replace). */
  restartProxy(nodeName: string): Promise<void>;
  /** LoadBalancer Services published on the host. */
  published(): { service: string; host: string; target: string }[];
  /** Resolves once every node is registered, has its pod CIDR and its routes. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** kind's naming: <cluster>-control-plane, <cluster>-worker, <cluster>-worker2, ... */
export function nodeNames(cluster: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? `${cluster}-control-plane` : i === 1 ? `${cluster}-worker` : `${cluster}-worker${i}`));
}

/** Kills every process still inside the cluster's namespaces, then deletes the namespaces. */
export async function removeClusterNamespaces(host: HostOps, cluster: string): Promise<string[]> {
  for (const ns of await clusterNamespaces(host, cluster)) {
    const pids = (await runChecked('ip', ['netns', 'pids', ns]).catch(() => '')).split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch { /* gone */ }
    }
  }
  return destroyCluster(host, cluster);
}

export async function startDataPlane(o: DataPlaneOptions): Promise<DataPlane> {
  const host = realHost;
  const client = new KubeClient({ ...o.api, userAgent: 'knet-node' });
  await removeClusterNamespaces(host, o.cluster);
  installBusyboxApplets(); // busybox pods find wget, nc, nslookup ... on PATH
  await createFabric(host, o.cluster);
  const nodes: NodeInfo[] = [];
  for (const [i, name] of nodeNames(o.cluster, o.nodes).entries()) {
    const link = await addNode(host, o.cluster, name, i);
    nodes.push({ name, ip: link.ip, netns: link.netns });
  }
  let hostResolv = { nameservers: [] as string[], searches: [] as string[], options: [] as string[] };
  try {
    hostResolv = parseResolvConf(readFileSync('/etc/resolv.conf', 'utf8'));
  } catch { /* none */ }
  const agents: NodeAgent[] = [];
  const routes: RouteSync[] = [];
  const proxies: Proxier[] = [];
  for (const [i, n] of nodes.entries()) {
    routes.push(startRouteSync({ client, host, netns: n.netns, nodeName: n.name, backend: o.backend, log: o.log }));
    // Pods are wired by the ptp CNI (a link each), so hairpin traffic is found by route, with
    // no element per endpoint.
    proxies.push(startNodeProxy({ client, nodeName: n.name, netns: n.netns, nodeIP: n.ip, log: o.log, hairpinMode: 'route' }));
    let agent: NodeAgent | undefined;
    const network = cniPodNetwork({ host, nodeNetns: n.netns, dir: join(o.dataDir, 'nodes', n.name), podCIDR: () => agent?.podCIDR(), cniPath: o.cniPath });
    agent = startNodeAgent({
      client, nodeName: n.name, nodeNetns: n.netns, nodeIP: n.ip, cluster: o.cluster, dataDir: join(o.dataDir, 'nodes', n.name),
      // Every cluster's state on this machine, not only this one's.
      hiddenPaths: [o.dataDir, clustersDir()],
      network,
      program: (c) => imageProgram(c.image, c.command, c.args),
      dns: { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolv },
      labels: i === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {},
      restartBackoff: o.restartBackoff,
      log: o.log,
    });
    agents.push(agent);
  }
  // In-cluster clients reach the API server at the control-plane node's address.
  const apiPort = Number(new URL(o.api.server).port);
  const relay: ApiRelay = await startApiRelay({ nodeNetns: nodes[0].netns, listenIP: nodes[0].ip, listenPort: 6443, socketPath: join(o.dataDir, 'apiserver.sock'), apiPort });
  // LoadBalancer addresses: routed in the fabric, published on the host's loopback.
  const dialer = await startNetnsDialer(fabricNetns(o.cluster), join(o.dataDir, 'fabric-dialer.sock'));
  const publisher: LoadBalancerPublisher = startLoadBalancerPublisher({ client, host, cluster: o.cluster, dialer, publishHost: o.publishHost, log: o.log });
  const ready = Promise.all([...agents.map((a) => a.ready), ...routes.map((r) => r.synced), ...proxies.map((p) => p.synced)]).then(() => {});
  return {
    nodes,
    ready,
    published: () => publisher.published(),
    async restartProxy(nodeName) {
      const i = nodes.findIndex((n) => n.name === nodeName);
      if (i < 0) throw new Error(`no node ${nodeName}`);
      await proxies[i].stop();
      proxies[i] = startNodeProxy({ client, nodeName, netns: nodes[i].netns, nodeIP: nodes[i].ip, log: o.log, hairpinMode: 'route' });
      await proxies[i].synced;
    },
    async stop() {
      await publisher.stop();
      dialer.stop();
      await Promise.all(agents.map((a) => a.stop()));
      await Promise.all(proxies.map((p) => p.stop()));
      await Promise.all(routes.map((r) => r.stop()));
      await relay.stop();
      client.close();
      await removeClusterNamespaces(host, o.cluster);
    },
  };
}

export { nodeIP, nodeNetns };
