// Public face of src/cni: the CNI runtime (libcni's role) and the node's network config.
export type { CniDNS, CniErrorBody, CniInterface, CniIPConfig, CniResult, CniRoute, Conflist, PluginConf, RuntimeConf, RuntimeOptions } from './types.ts';
export { loadConflist, pluginStdinConfig, SUPPORTED_CNI_VERSIONS } from './conflist.ts';
export { CniPluginError, DEFAULT_PLUGIN_TIMEOUT_MS, findPlugin, formatCniArgs } from './exec.ts';
export { addNetworkList, checkNetworkList, delNetworkList, pluginVersions } from './runtime.ts';
export { cachePath } from './cache.ts';
export {
  DEFAULT_CNI_PATH, KNET_CNI_BIN_DIR, LOOPBACK_NETWORK_NAME, loopbackConflist, nodeConflist, podCniArgs,
  POD_NETWORK_NAME, REFERENCE_CNI_BIN_DIR,
} from './node-conflist.ts';
export type { NodeConflistOptions, PodIdentity } from './node-conflist.ts';
export type { KnetPluginConf, PodNetworkMode } from './plugin/delegate.ts';
export { BRIDGE_NAME, delegateConfig, KNET_PLUGIN_VERSIONS } from './plugin/delegate.ts';
