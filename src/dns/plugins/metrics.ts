// A small Prometheus registry (text exposition format 0.0.4) and the metrics knet's DNS
// server exports, under CoreDNS's names and labels so existing dashboards and alerts work
// (coredns plugin/metrics/README.md, plugin/cache/README.md, plugin/forward/README.md,
// plugin/kubernetes/metrics.go).

export type Labels = Readonly<Record<string, string>>;

/** Prometheus client_golang ExponentialBuckets(start, factor, count). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/** CoreDNS plugin.TimeBuckets: 0.25 ms to about 8 s. */
export const TIME_BUCKETS: readonly number[] = exponentialBuckets(0.00025, 2, 16);
/** CoreDNS's DNS programming latency buckets: 1 ms to about 17 minutes. */
export const PROGRAMMING_BUCKETS: readonly number[] = exponentialBuckets(0.001, 2, 20);

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

function renderLabels(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i])}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

abstract class Metric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  protected readonly series = new Map<string, { values: string[]; state: S }>();
  constructor(name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }
  protected abstract fresh(): S;
  protected stateFor(labels: Labels = {}): S {
    const values = this.labelNames.map((n) => labels[n] ?? '');
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (s === undefined) {
      s = { values, state: this.fresh() };
      this.series.set(key, s);
    }
    return s.state;
  }
  /** Creates the all-empty-labels series, so a metric without labels shows up as 0. */
  touch(): void {
    this.stateFor({});
  }
  /** Drops one series (client_golang's DeleteLabelValues); true when it existed. */
  delete(labels: Labels = {}): boolean {
    return this.series.delete(this.labelNames.map((n) => labels[n] ?? '').join('\u0000'));
  }
  /** Drops every series. */
  reset(): void {
    this.series.clear();
  }
  protected peek(labels: Labels = {}): S | undefined {
    return this.series.get(this.labelNames.map((n) => labels[n] ?? '').join('\u0000'))?.state;
  }
  abstract render(): string[];
}

export class Counter extends Metric<{ value: number }> {
  protected fresh() {
    return { value: 0 };
  }
  inc(labels?: Labels, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease`);
    this.stateFor(labels).value += by;
  }
  get(labels?: Labels): number {
    return this.peek(labels)?.value ?? 0;
  }
  render(): string[] {
    return [...this.series.values()].map((s) => `${this.name}${renderLabels(this.labelNames, s.values)} ${formatValue(s.state.value)}`);
  }
}

export class Gauge extends Metric<{ value: number }> {
  protected fresh() {
    return { value: 0 };
  }
  set(value: number, labels?: Labels): void {
    this.stateFor(labels).value = value;
  }
  get(labels?: Labels): number {
    return this.peek(labels)?.value ?? 0;
  }
  render(): string[] {
    return [...this.series.values()].map((s) => `${this.name}${renderLabels(this.labelNames, s.values)} ${formatValue(s.state.value)}`);
  }
}

interface HistogramState {
  counts: number[]; // per bucket, not cumulative
  sum: number;
  count: number;
}

export class Histogram extends Metric<HistogramState> {
  readonly buckets: readonly number[];
  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  protected fresh(): HistogramState {
    return { counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
  }
  observe(value: number, labels?: Labels): void {
    const s = this.stateFor(labels);
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) s.counts[i]++;
    s.sum += value;
    s.count++;
  }
  /** Observation count and sum for one label set. */
  get(labels?: Labels): { count: number; sum: number } {
    const s = this.peek(labels);
    return { count: s?.count ?? 0, sum: s?.sum ?? 0 };
  }
  render(): string[] {
    const lines: string[] = [];
    for (const { values, state } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += state.counts[i];
        lines.push(`${this.name}_bucket${renderLabels(this.labelNames, values, ['le', formatValue(b)])} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${renderLabels(this.labelNames, values, ['le', '+Inf'])} ${state.count}`);
      lines.push(`${this.name}_sum${renderLabels(this.labelNames, values)} ${formatValue(state.sum)}`);
      lines.push(`${this.name}_count${renderLabels(this.labelNames, values)} ${state.count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Counter | Gauge | Histogram>();

  private add<M extends Counter | Gauge | Histogram>(m: M): M {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} is already registered`);
    this.metrics.set(m.name, m);
    return m;
  }
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }
  /** The body of GET /metrics (Content-Type: text/plain; version=0.0.4). */
  render(): string {
    const out: string[] = [];
    for (const m of this.metrics.values()) {
      const type = m instanceof Counter ? 'counter' : m instanceof Gauge ? 'gauge' : 'histogram';
      out.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${m.name} ${type}`);
      // A metric without labels always shows its one series, as client_golang does.
      if (m.labelNames.length === 0) m.touch();
      out.push(...m.render());
    }
    return out.join('\n') + '\n';
  }
}

/** Every metric the DNS server and its plugins update, registered under CoreDNS's names. */
export interface DnsMetrics {
  readonly registry: MetricsRegistry;
  readonly requests: Counter; // coredns_dns_requests_total{server,zone,view,proto,family,type}
  readonly responses: Counter; // coredns_dns_responses_total{server,zone,view,rcode,plugin}
  readonly requestDuration: Histogram; // coredns_dns_request_duration_seconds{server,zone,view,type}
  readonly cacheEntries: Gauge; // coredns_cache_entries{server,type,zones,view}
  readonly cacheHits: Counter; // coredns_cache_hits_total{server,type,zones,view}
  readonly cacheMisses: Counter; // coredns_cache_misses_total{server,zones,view}
  readonly cacheRequests: Counter; // coredns_cache_requests_total{server,zones,view}
  readonly forwardRequests: Counter; // coredns_forward_requests_total{to}
  readonly forwardResponses: Counter; // coredns_forward_responses_total{to,rcode}
  readonly forwardHealthcheckFailures: Counter; // coredns_forward_healthcheck_failures_total{to}
  readonly forwardMaxConcurrentRejects: Counter; // coredns_forward_max_concurrent_rejects_total
  readonly programmingDuration: Histogram; // coredns_kubernetes_dns_programming_duration_seconds{service_kind}
}

export function createDnsMetrics(registry = new MetricsRegistry()): DnsMetrics {
  return {
    registry,
    requests: registry.counter('coredns_dns_requests_total', 'DNS queries received, by zone, transport, address family and query type.',
      ['server', 'zone', 'view', 'proto', 'family', 'type']),
    responses: registry.counter('coredns_dns_responses_total', 'DNS responses sent, by zone and rcode.',
      ['server', 'zone', 'view', 'rcode', 'plugin']),
    requestDuration: registry.histogram('coredns_dns_request_duration_seconds', 'Seconds spent answering each query, by zone and query type.',
      ['server', 'zone', 'view', 'type'], TIME_BUCKETS),
    cacheEntries: registry.gauge('coredns_cache_entries', 'Entries held in the cache, by cache type.', ['server', 'type', 'zones', 'view']),
    cacheHits: registry.counter('coredns_cache_hits_total', 'Queries answered from the cache, by cache type.', ['server', 'type', 'zones', 'view']),
    cacheMisses: registry.counter('coredns_cache_misses_total', 'Queries the cache could not answer.', ['server', 'zones', 'view']),
    cacheRequests: registry.counter('coredns_cache_requests_total', 'Queries that looked in the cache.', ['server', 'zones', 'view']),
    forwardRequests: registry.counter('coredns_forward_requests_total', 'Queries sent to each upstream.', ['to']),
    forwardResponses: registry.counter('coredns_forward_responses_total', 'Responses received from each upstream, by rcode.', ['to', 'rcode']),
    forwardHealthcheckFailures: registry.counter('coredns_forward_healthcheck_failures_total', 'Failed health checks of each upstream.', ['to']),
    forwardMaxConcurrentRejects: registry.counter('coredns_forward_max_concurrent_rejects_total',
      'Queries refused because max_concurrent queries were already in flight.'),
    programmingDuration: registry.histogram('coredns_kubernetes_dns_programming_duration_seconds',
      'Seconds from an API change (Service or endpoints) to the DNS server answering with it.', ['service_kind'], PROGRAMMING_BUCKETS),
  };
}
