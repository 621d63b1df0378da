// Shapes of the CNI protocol (spec 1.0.0, the version Debian's reference plugins 1.1.1 speak):
// network configuration lists, runtime parameters and results.

/** One plugin entry of a conflist. `type` names the binary looked up in CNI_PATH. */
export interface PluginConf {
  type: string;
  /** Capability names this plugin accepts through runtimeConfig (e.g. portMappings). */
  capabilities?: Record<string, boolean>;
  [field: string]: unknown;
}

/** A validated, frozen network configuration list. */
export interface Conflist {
  readonly cniVersion: string;
  readonly name: string;
  readonly disableCheck: boolean;
  readonly plugins: readonly Readonly<PluginConf>[];
}

/** What the runtime knows about one attachment (libcni's RuntimeConf). */
export interface RuntimeConf {
  containerId: string;
  /** Path of the pod's network namespace, e.g. /run/netns/knet-knet-pod-0123456789ab. */
  netns: string;
  ifName: string;
  /** CNI_ARGS pairs, in order. `IgnoreUnknown=1` is put first when missing (as containerd does). */
  args?: [string, string][];
  /** Runtime capability arguments, e.g. { portMappings: [...] }; each plugin sees only those it declares. */
  capabilityArgs?: Record<string, unknown>;
}

export interface RuntimeOptions {
  /** Directories searched for plugin binaries, in order (CNI_PATH). */
  cniPath: string[];
  /** Where results are cached for DEL and CHECK (libcni's cacheDir). */
  cacheDir: string;
  /**
   * Name of a network namespace (under /run/netns) to run the plugins in. Host-side
   * interfaces and routes (ptp's veth end, the bridge) land there: the node namespace.
   */
  runInNetns?: string;
  /** Per plugin execution; default 60 s. */
  timeoutMs?: number;
}

export interface CniInterface {
  name: string;
  mac?: string;
  mtu?: number;
  /** Netns path for interfaces inside the container; absent for host-side ones. */
  sandbox?: string;
  socketPath?: string;
  pciID?: string;
}

export interface CniIPConfig {
  /** CIDR notation, e.g. 10.244.1.2/24. */
  address: string;
  gateway?: string;
  /** Index into interfaces[]. */
  interface?: number;
}

export interface CniRoute {
  dst: string;
  gw?: string;
  mtu?: number;
  advmss?: number;
  priority?: number;
  table?: number;
  scope?: number;
}

export interface CniDNS {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

/** ADD result (spec 1.0.0 "Success"). */
export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIPConfig[];
  routes?: CniRoute[];
  dns?: CniDNS;
}

/** The error object a plugin prints on stdout when it exits non-zero. */
export interface CniErrorBody {
  cniVersion?: string;
  code: number;
  msg: string;
  details?: string;
}

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';
