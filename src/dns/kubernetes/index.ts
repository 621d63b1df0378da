// Public face of the kubernetes DNS plugin: the slim cluster view the informers feed, the
// pure resolver, and the plugin that puts the resolver in the chain.

export { ClusterView, SERVICE_NAME_LABEL, toServiceView } from './view.ts';
export type { ClusterViewOptions, EndpointAddress, EndpointSubset, PodView, PortView, ServiceView } from './view.ts';
export { resolveKubernetes, DNS_SCHEMA_VERSION, DNS_VERSION_TTL } from './resolve.ts';
export type { KubernetesAnswer } from './resolve.ts';
export { resolveOptions, DEFAULT_TTL } from './options.ts';
export type { KubernetesOptions, PodMode, ResolvedOptions } from './options.ts';
export { kubernetesPlugin } from './plugin.ts';
export type { KubernetesPluginOptions } from './plugin.ts';
export { canonicalIP, dashedIP, ipFromDashedLabel } from './addresses.ts';
