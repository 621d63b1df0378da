// The typed, validated form of a Corefile. Everything here is frozen after parsing; plugin
// factories take these configs as they are. Zones are lowercased, absolute, without the
// trailing dot ("" is the root). Durations are milliseconds (`...Ms`), TTLs are seconds.

/** `fallthrough [ZONES...]`: null when absent; an empty `zones` list means every zone. */
export type Fallthrough = { readonly zones: readonly string[] } | null;

export interface KubernetesConfig {
  readonly zones: readonly string[];
  readonly pods: 'disabled' | 'insecure' | 'verified';
  readonly ttl: number; // 0..3600, default 5
  readonly fallthrough: Fallthrough;
  readonly endpointPodNames: boolean;
  readonly ignoreEmptyService: boolean;
  /** Namespaces exposed; empty means all. */
  readonly namespaces: readonly string[];
  readonly noEndpoints: boolean;
  readonly startupTimeoutMs: number; // default 5000
}

export type ForwardUpstream =
  | { readonly kind: 'address'; readonly host: string; readonly port: number }
  /** A resolv.conf-format file whose `nameserver` lines become the upstreams. */
  | { readonly kind: 'resolv-conf'; readonly path: string };

export interface ForwardConfig {
  readonly from: string;
  readonly to: readonly ForwardUpstream[];
  readonly except: readonly string[];
  readonly policy: 'random' | 'round_robin' | 'sequential';
  readonly maxFails: number; // default 2; 0 turns health checking off
  readonly healthCheckMs: number; // default 500
  readonly maxConcurrent: number | null; // null: unbounded
  readonly forceTcp: boolean;
  readonly preferUdp: boolean;
  readonly expireMs: number; // default 10000
}

export interface CacheTier {
  readonly capacity: number;
  readonly maxTtl: number;
  readonly minTtl: number;
}

export interface CacheConfig {
  readonly zones: readonly string[];
  readonly success: CacheTier; // default 9984 / 3600 / 5
  readonly denial: CacheTier; // default 9984 / 1800 / 5
  /** How long SERVFAIL answers are kept (CoreDNS `servfail`, default 5 s, 0 turns it off). */
  readonly servfailTtl: number;
  readonly disableSuccess: readonly string[];
  readonly disableDenial: readonly string[];
  readonly serveStale: { readonly maxStaleMs: number; readonly refreshMode: 'immediate' | 'verified' } | null;
  /** Accepted for compatibility; knet's cache does not prefetch. */
  readonly prefetch: { readonly amount: number; readonly durationMs: number; readonly percentage: number } | null;
  readonly keepTtl: boolean;
}

export interface HostsEntry {
  readonly address: string;
  readonly names: readonly string[];
}

export interface HostsConfig {
  /** The hosts file to read; /etc/hosts when the directive names none. */
  readonly file: string;
  readonly zones: readonly string[];
  readonly inline: readonly HostsEntry[];
  readonly ttl: number; // default 3600
  readonly noReverse: boolean;
  readonly reloadMs: number; // default 5000; 0 turns reloading off
  readonly fallthrough: Fallthrough;
}

export type RewriteMatch = 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';

export interface RewriteRule {
  readonly line: number;
  readonly mode: 'stop' | 'continue';
  readonly match: RewriteMatch;
  readonly from: string;
  readonly to: string;
  /** How answer names are mapped back; exact rules always map back, as in CoreDNS. */
  readonly answer: { readonly kind: 'auto' } | { readonly kind: 'name'; readonly from: string; readonly to: string } | null;
}

export interface LogConfig {
  /** Only names under these zones are logged; empty means all. */
  readonly zones: readonly string[];
  readonly classes: readonly ('success' | 'denial' | 'error' | 'all')[];
}

export interface ErrorsConfig {
  readonly enabled: true;
}

export interface ListenAddress {
  readonly host: string; // "" means every address
  readonly port: number;
}

export interface HealthConfig {
  readonly address: ListenAddress; // default :8080
  readonly lameduckMs: number;
}

export interface ReadyConfig {
  readonly address: ListenAddress; // default :8181
}

export interface PrometheusConfig {
  readonly address: ListenAddress; // default localhost:9153
}

export interface LoadbalanceConfig {
  readonly policy: 'round_robin';
}

export interface ReloadConfig {
  readonly intervalMs: number; // default 30000
  readonly jitterMs: number; // default 15000
}

export interface LoopConfig {
  readonly enabled: true;
}

export interface PluginConfigs {
  readonly kubernetes?: KubernetesConfig;
  /** Several `forward` lines are tried in the order written (CoreDNS ≥1.11). */
  readonly forward: readonly ForwardConfig[];
  readonly cache?: CacheConfig;
  readonly hosts?: HostsConfig;
  /** Rules in the order written. */
  readonly rewrite: readonly RewriteRule[];
  readonly log?: LogConfig;
  readonly errors?: ErrorsConfig;
  readonly health?: HealthConfig;
  readonly ready?: ReadyConfig;
  readonly prometheus?: PrometheusConfig;
  readonly loadbalance?: LoadbalanceConfig;
  readonly reload?: ReloadConfig;
  readonly loop?: LoopConfig;
}

export interface ServerBlock {
  readonly line: number;
  readonly zones: readonly string[];
  readonly port: number;
  readonly plugins: PluginConfigs;
  /** The directives present, in execution order (PLUGIN_ORDER), not Corefile order. */
  readonly order: readonly string[];
}

export interface CorefileConfig {
  readonly servers: readonly ServerBlock[];
}
