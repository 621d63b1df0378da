// The pod network through CNI only (the container runtime's CNI step): the pod's network
// namespace is created, then the node's conflist (knet -> ptp + host-local, portmap) is run
// in the node's namespace so the host side of each pod lands on its node, and `lo` comes up
// through the reference `loopback` plugin. Teardown is CNI DEL in reverse, then the namespace
// goes; both steps are idempotent, so a crash between them is repaired on the next call.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNetworkList, delNetworkList, DEFAULT_CNI_PATH, loopbackConflist, nodeConflist, podCniArgs } from '../cni/index.ts';
import type { Conflist, CniResult } from '../cni/index.ts';
import type { HostOps } from '../host/index.ts';
import { netnsPath } from '../host/index.ts';
import type { PodNetwork } from './pod-worker.ts';

export interface CniNetworkOptions {
  host: HostOps;
  /** The node's namespace: the plugins run there. */
  nodeNetns: string;
  /** The node's state directory (host-local reservations, the CNI result cache). */
  dir: string;
  podCIDR(): string | undefined;
  mode?: 'ptp' | 'bridge';
  /** Where plugins are looked up (CNI_PATH); default knet's plugin, then Debian's. */
  cniPath?: readonly string[];
}

export function cniPodNetwork(o: CniNetworkOptions): PodNetwork {
  const cacheDir = join(o.dir, 'cni-cache');
  const ipamDir = join(o.dir, 'ipam');
  mkdirSync(cacheDir, { recursive: true });
  mkdirSync(ipamDir, { recursive: true });
  let conflist: Conflist | undefined;
  let conflistFor = '';
  const network = (): Conflist => {
    const cidr = o.podCIDR();
    if (!cidr) throw new Error('the node has no pod CIDR yet');
    if (conflistFor !== cidr) {
      conflist = nodeConflist({ podCIDR: cidr, mode: o.mode ?? 'ptp', dataDir: ipamDir });
      conflistFor = cidr;
      // Written out as a runtime's net.d holds it, for people to read; the agent uses the value.
      mkdirSync(join(o.dir, 'net.d'), { recursive: true });
      writeFileSync(join(o.dir, 'net.d', '10-knet.conflist'), JSON.stringify(conflist, null, 2) + '\n');
    }
    return conflist!;
  };
  const runtime = (pod: any, netns: string) => ({
    containerId: pod.metadata.uid,
    netns: netnsPath(netns),
    ifName: 'eth0',
    args: podCniArgs({ namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, sandboxId: pod.metadata.uid }),
    capabilityArgs: { portMappings: portMappings(pod) },
  });
  const opts = { cniPath: [...(o.cniPath ?? DEFAULT_CNI_PATH)], cacheDir, runInNetns: o.nodeNetns };
  // One CNI operation at a time per node: a DEL that releases an address and then removes its
  // link and routes must not interleave with an ADD that was just handed the same address.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => {});
    return p;
  };
  return {
    setup: (pod, netns) => serial(async () => {
      await o.host.createNetns(netns);
      // As container runtimes do: unprivileged ports and ping work inside the pod.
      await o.host.sysctl(netns, 'net.ipv4.ip_unprivileged_port_start', '0');
      await o.host.sysctl(netns, 'net.ipv4.ping_group_range', '0 2147483647');
      await addNetworkList(loopbackConflist(), { ...runtime(pod, netns), ifName: 'lo', capabilityArgs: undefined }, opts);
      const previous: string | undefined = pod.status?.podIP;
      let result: CniResult;
      if (previous) {
        // The pod ran here before (knet up after a crash): release what the old attachment
        // still holds, then ask host-local for the same address (CNI_ARGS IP=...).
        await delNetworkList(network(), runtime(pod, netns), opts).catch(() => {});
        const rt = runtime(pod, netns);
        result = await addNetworkList(network(), { ...rt, args: [...(rt.args ?? []), ['IP', previous]] }, opts)
          .catch(() => addNetworkList(network(), runtime(pod, netns), opts));
      } else {
        result = await addNetworkList(network(), runtime(pod, netns), opts);
      }
      return (result.ips ?? []).map((ip) => ip.address.split('/')[0]);
    }),
    teardown: (pod, netns) => serial(async () => {
      if (conflist || o.podCIDR()) await delNetworkList(network(), runtime(pod, netns), opts);
      await delNetworkList(loopbackConflist(), { ...runtime(pod, netns), ifName: 'lo', capabilityArgs: undefined }, opts).catch(() => {});
      await o.host.deleteNetns(netns);
    }),
  };
}

/** hostPort mappings for the portmap plugin (runtimeConfig.portMappings). */
function portMappings(pod: any): { hostPort: number; containerPort: number; protocol: string; hostIP?: string }[] {
  const out: { hostPort: number; containerPort: number; protocol: string; hostIP?: string }[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP').toLowerCase(), ...(p.hostIP ? { hostIP: p.hostIP } : {}) });
    }
  }
  return out;
}
