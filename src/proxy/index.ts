// The service proxy: Services + EndpointSlices -> one nftables table per node.
export { compileProxyObjects, compileProxyRules, compileProxyRulesWithReport, DEFAULT_PROXY_OPTIONS, type ProxyCompileResult, type ProxyOptions } from './compile.ts';
export type { ProxyProblem } from './plan.ts';
export {
  nodeView, serviceView, sliceView, LABEL_SERVICE_NAME,
  type EndpointView, type NodeView, type ProxySnapshot, type ServicePortView, type ServiceView, type SlicePortView, type SliceView,
} from './snapshot.ts';
export * as proxyNames from './names.ts';
export { startNodeProxy } from './node-proxy.ts';
export { ProxyRules, type ChangesApplier } from './rules.ts';
export type { Proxier } from './proxier.ts';
