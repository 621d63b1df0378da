// Public face of knet's cluster DNS component (CoreDNS's counterpart). Most callers need only
// the process: `startClusterDns` (in-process, e.g. `knet up` or tests) or `runCoreDns` (the
// `coredns` built-in image program). The layers below are exported as namespaces for the
// few callers that assemble their own server (benchmarks, tools).
export {
  startClusterDns, runCoreDns, inClusterConfig, NotInClusterError, coreDnsLogger, COREDNS_VERSION, COREFILE_CONFIGMAP,
} from './app/index.ts';
export type { ClusterDns, ClusterDnsOptions, CorefileSourceSpec, ConfigMapRef, InClusterConfig } from './app/index.ts';
export { parseCorefile, defaultCorefile, DEFAULT_COREFILE, CorefileError, PLUGIN_ORDER } from './corefile/index.ts';
export * as app from './app/index.ts';
export * as corefile from './corefile/index.ts';
export * as kubernetes from './kubernetes/index.ts';
export * as plugins from './plugins/index.ts';
export * as server from './server/index.ts';
export * as wire from './wire/index.ts';
