// Public face of the cluster DNS process: the server as a pod runs it (startClusterDns), the
// `coredns` image program's entry point (runCoreDns) and the in-cluster client config.
export { startClusterDns } from './cluster-dns.ts';
export type { ClusterDns, ClusterDnsOptions } from './cluster-dns.ts';
export type { ConfigMapRef, CorefileSourceSpec } from './corefile-source.ts';
export { buildServerChain, pluginLogger } from './server-chain.ts';
export type { ChainDeps, ForwardFactory, ServerChain } from './server-chain.ts';
export { startClusterFeed } from './cluster-feed.ts';
export type { ClusterFeed, ClusterFeedOptions } from './cluster-feed.ts';
export { newServiceLatency, sliceLatency, TRIGGER_TIME_ANNOTATION } from './programming-latency.ts';
export type { LatencySample, ServiceKind } from './programming-latency.ts';
export { inClusterConfig, NotInClusterError, SERVICE_ACCOUNT_DIR } from './in-cluster.ts';
export type { InClusterConfig, InClusterOptions } from './in-cluster.ts';
export { COREDNS_VERSION, COREFILE_CONFIGMAP, coreDnsLogger, parseCoreDnsArgs, podIPs, runCoreDns } from './coredns-main.ts';
export type { CoreDnsFlags, RunCoreDnsOptions } from './coredns-main.ts';
