// knet's CNI plugin config and the delegate config built from it. Like flannel's CNI plugin,
// knet does not wire interfaces itself: it turns the node's pod CIDR into a config for a
// reference plugin (ptp or bridge) with host-local IPAM and lets that plugin do the work.

import { formatIPv4, parseCidr4 } from '../../lib/ip.ts';

/** Spec versions the knet plugin answers to VERSION (the same set as Debian's ptp/bridge). */
export const KNET_PLUGIN_VERSIONS: readonly string[] = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'];

export type PodNetworkMode = 'ptp' | 'bridge';

/** The `knet` entry of a node's conflist (written by the node agent). */
export interface KnetPluginConf {
  type: 'knet';
  podCIDR: string;
  mode?: PodNetworkMode;
  mtu?: number;
  /** host-local's state directory; one per node so two nodes never hand out the same IP twice. */
  ipamDataDir: string;
}

/** A bad plugin config, reported as CNI error 7 ("invalid network config"). */
export class BadPluginConfig extends Error {}

/** Bridge name flannel's delegate uses; pods of one node share it in bridge mode. */
export const BRIDGE_NAME = 'cni0';

export function parseKnetPluginConf(raw: Record<string, unknown>): KnetPluginConf {
  const { podCIDR, mode, mtu, ipamDataDir } = raw;
  if (typeof podCIDR !== 'string' || podCIDR === '') throw new BadPluginConfig('knet: "podCIDR" is required, e.g. "10.244.1.0/24"');
  let prefix: number;
  try {
    prefix = parseCidr4(podCIDR).prefix;
  } catch {
    throw new BadPluginConfig(`knet: podCIDR "${podCIDR}" is not an IPv4 CIDR such as 10.244.1.0/24`);
  }
  if (prefix > 29) throw new BadPluginConfig(`knet: podCIDR "${podCIDR}" is too small; use /29 or larger`);
  if (mode !== undefined && mode !== 'ptp' && mode !== 'bridge') throw new BadPluginConfig(`knet: mode ${JSON.stringify(mode)} is not supported; use "ptp" or "bridge"`);
  if (mtu !== undefined && (typeof mtu !== 'number' || !Number.isInteger(mtu) || mtu < 576 || mtu > 65535)) {
    throw new BadPluginConfig(`knet: mtu ${JSON.stringify(mtu)} must be an integer between 576 and 65535`);
  }
  if (typeof ipamDataDir !== 'string' || !ipamDataDir.startsWith('/')) {
    throw new BadPluginConfig('knet: "ipamDataDir" must be an absolute path (one directory per node)');
  }
  return { type: 'knet', podCIDR, mode: mode ?? 'ptp', mtu, ipamDataDir };
}

/**
 * The delegate's stdin config. Gateway .1 and range from .2 as flannel/kubenet do; no
 * masquerade (pod-to-pod is never NATed; egress is the fabric's business); a default route
 * so every destination goes through the node, where services and policy are enforced.
 */
export function delegateConfig(conf: KnetPluginConf, network: { name: string; cniVersion: string }, prevResult?: unknown): Record<string, unknown> {
  const cidr = parseCidr4(conf.podCIDR);
  const subnet = `${formatIPv4(cidr.base)}/${cidr.prefix}`;
  const ipam = {
    type: 'host-local',
    ranges: [[{ subnet, rangeStart: formatIPv4(cidr.base + 2), gateway: formatIPv4(cidr.base + 1) }]],
    routes: [{ dst: '0.0.0.0/0' }],
    dataDir: conf.ipamDataDir,
  };
  const base: Record<string, unknown> = { cniVersion: network.cniVersion, name: network.name };
  const plugin: Record<string, unknown> = conf.mode === 'bridge'
    // hairpinMode lets a pod reach itself through a Service VIP that DNATs back to it.
    ? { type: 'bridge', bridge: BRIDGE_NAME, isGateway: true, ipMasq: false, hairpinMode: true }
    : { type: 'ptp', ipMasq: false };
  if (conf.mtu !== undefined) plugin.mtu = conf.mtu;
  const out: Record<string, unknown> = { ...base, ...plugin, ipam };
  if (prevResult !== undefined) out.prevResult = prevResult;
  return out;
}
