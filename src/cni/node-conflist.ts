// The network configuration a knet node uses, and the CNI_ARGS a pod attachment carries.
// The node agent writes the conflist with its node's podCIDR and runs it through the runtime.

import { join } from 'node:path';
import { loadConflist } from './conflist.ts';
import type { PodNetworkMode } from './plugin/delegate.ts';
import type { Conflist } from './types.ts';

/** Holds `knet` (a link to plugin/knet-cni): put it first in CNI_PATH. */
export const KNET_CNI_BIN_DIR = join(import.meta.dirname, 'bin');
/** Debian's containernetworking-plugins. */
export const REFERENCE_CNI_BIN_DIR = '/usr/lib/cni';
/** CNI_PATH for a knet node. */
export const DEFAULT_CNI_PATH: readonly string[] = [KNET_CNI_BIN_DIR, REFERENCE_CNI_BIN_DIR];

/** Network name of the pod network (host-local keeps its state under <dataDir>/<name>). */
export const POD_NETWORK_NAME = 'knet';
/** Network name containerd gives its loopback network. */
export const LOOPBACK_NETWORK_NAME = 'cni-loopback';

export interface NodeConflistOptions {
  podCIDR: string;
  mode?: PodNetworkMode;
  mtu?: number;
  /** host-local state for this node (e.g. <cluster data dir>/nodes/<node>/ipam). */
  dataDir: string;
  /**
   * Chain portmap for hostPort (default true). Debian's portmap 1.1.1 programs iptables
   * (here iptables-nft, so its rules live in the node namespace's nftables, in tables of
   * their own apart from knet's).
   */
  portmap?: boolean;
}

/** The node's pod network: knet (-> ptp|bridge + host-local), then portmap. */
export function nodeConflist(opts: NodeConflistOptions): Conflist {
  const plugins: Record<string, unknown>[] = [{
    type: 'knet',
    podCIDR: opts.podCIDR,
    mode: opts.mode ?? 'ptp',
    ...(opts.mtu !== undefined ? { mtu: opts.mtu } : {}),
    ipamDataDir: opts.dataDir,
  }];
  if (opts.portmap !== false) plugins.push({ type: 'portmap', capabilities: { portMappings: true }, snat: true });
  return loadConflist({ cniVersion: '1.0.0', name: POD_NETWORK_NAME, plugins });
}

/**
 * containerd runs this network (ifName "lo") for every sandbox before the pod network:
 * the loopback plugin brings `lo` up. knet does the same so pods are wired only by CNI.
 */
export function loopbackConflist(): Conflist {
  return loadConflist({ cniVersion: '1.0.0', name: LOOPBACK_NETWORK_NAME, plugins: [{ type: 'loopback' }] });
}

export interface PodIdentity {
  namespace: string;
  name: string;
  uid: string;
  /** The sandbox id (the runtime's containerId for the attachment). */
  sandboxId: string;
}

/** CNI_ARGS as kubelet/containerd pass them for a pod sandbox. */
export function podCniArgs(pod: PodIdentity): [string, string][] {
  return [
    ['IgnoreUnknown', '1'],
    ['K8S_POD_NAMESPACE', pod.namespace],
    ['K8S_POD_NAME', pod.name],
    ['K8S_POD_INFRA_CONTAINER_ID', pod.sandboxId],
    ['K8S_POD_UID', pod.uid],
  ];
}
