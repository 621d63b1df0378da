// Public face of knet's pure DNS plugins: each a DnsPlugin factory taking its typed Corefile
// config. forward is the one with sockets (loopback-tested).
export { createCachePlugin, classifyResponse, minimalTtl, type CachePlugin, type CachePluginOptions, type CacheStats, type ResponseClass } from './cache.ts';
export { createHostsPlugin, parseHostsFile, type HostsPlugin } from './hosts.ts';
export { createRewritePlugin } from './rewrite.ts';
export { createLoadbalancePlugin, balanceRecords } from './loadbalance.ts';
export { createErrorsPlugin } from './errors.ts';
export { createLogPlugin, responseClass } from './log.ts';
export {
  countDropped, countMemoHit, createMetricsPlugin, queryTypeLabel, rcodeLabel, zoneLabel, type DroppedAnswer, type MetricsPluginOptions,
} from './prometheus.ts';
export {
  Counter, Gauge, Histogram, MetricsRegistry, createDnsMetrics, exponentialBuckets, PROGRAMMING_BUCKETS, TIME_BUCKETS,
  type DnsMetrics, type Labels,
} from './metrics.ts';
export {
  createForwardPlugin, ForwardError, parseResolvConf,
  type ForwardErrorCode, type ForwardPlugin, type ForwardPluginOptions, type ForwardedResponse,
} from './forward.ts';
