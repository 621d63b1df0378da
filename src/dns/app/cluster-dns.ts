// knet's cluster DNS process, as CoreDNS runs in a cluster: the Corefile (text or ConfigMap)
// becomes one plugin chain behind a UDP+TCP server, the kubernetes plugin reads a
// ClusterView fed by informers, and health/ready/metrics are served over HTTP.
//
// Reload (always on, `reload` directive or not): a changed Corefile is parsed and built
// aside; a bad one is refused (logged with file:line, counted in
// coredns_reload_failed_total) and the running one keeps serving. A good one is swapped in
// atomically: the server's handler reads the current chain per query. Listeners whose
// address changed are bound before the swap and the old ones closed after it, so a port
// change either fully happens or the reload is refused with the bind error.
//
// Start-up: the change handler is registered before anything is awaited, so a Corefile
// edited while the server starts is not lost; only the latest such change is kept and it
// is applied as a reload once the server runs. A Corefile that cannot be read within
// corefileTimeoutMs fails the start (the caller exits and the kubelet restarts the pod);
// until then start-up logs what it waits for. Any failed start stops what it started.

import { createHash } from 'node:crypto';
import type { KubeClient } from '../../k8s/client.ts';
import { sleep } from '../../lib/backoff.ts';
import type { Logger } from '../../lib/log.ts';
import { CorefileError, parseCorefile } from '../corefile/index.ts';
import type { ListenAddress, ServerBlock } from '../corefile/index.ts';
import type { ClusterView } from '../kubernetes/index.ts';
import { countDropped, countMemoHit, createDnsMetrics } from '../plugins/index.ts';
import type { Counter, DnsMetrics, Gauge } from '../plugins/index.ts';
import { startDnsServer } from '../server/index.ts';
import type { DnsRequest, DnsServer } from '../server/index.ts';
import { startClusterFeed } from './cluster-feed.ts';
import { corefileSource } from './corefile-source.ts';
import type { CorefileSource, CorefileSourceSpec, CorefileText } from './corefile-source.ts';
import { healthRoute, listenHttp, metricsRoute, readyRoute } from './http-endpoints.ts';
import type { HttpEndpoint, HttpRoute } from './http-endpoints.ts';
import { buildServerChain } from './server-chain.ts';
import type { ForwardFactory, ServerChain } from './server-chain.ts';

export interface ClusterDnsOptions {
  client: KubeClient;
  corefile: CorefileSourceSpec;
  /** Address every listener binds when the Corefile names none; default 0.0.0.0. */
  host?: string;
  /** Tests: bind DNS, health, ready and metrics on this port instead (0: ephemeral ports). */
  portOverride?: number;
  /** This server's own addresses (pod IPs): they name the zone's nameserver. */
  localIPs?: string[];
  log: Logger;
  /** Wall-clock milliseconds, for programming latency. */
  now?: () => number;
  /** The forwarder factory; defaults to createForwardPlugin from src/dns/plugins. */
  forward?: ForwardFactory;
  /** How long start-up waits for a readable Corefile before it fails; default 60 s. */
  corefileTimeoutMs?: number;
}

export interface ClusterDns {
  readonly dnsPort: number;
  /** Undefined when the running Corefile has no such directive. */
  readonly healthPort: number | undefined;
  readonly readyPort: number | undefined;
  readonly metricsPort: number | undefined;
  readonly view: ClusterView;
  readonly metrics: DnsMetrics;
  /** Successful reloads since start. */
  reloads(): number;
  /** Refused reloads since start (coredns_reload_failed_total). */
  reloadFailures(): number;
  /** Lameduck (health stays 200, ready 503, DNS answers) for the configured time, then stop. */
  close(): Promise<void>;
}

/** CoreDNS's `startup_timeout` default: how long start waits for the first sync. */
const DEFAULT_STARTUP_MS = 5_000;
/** In-flight queries keep the chain they started with; its upstreams close this much later. */
const OLD_CHAIN_GRACE_MS = 5_000;
const DEFAULT_COREFILE_TIMEOUT_MS = 60_000;
/** While start-up waits for the Corefile, it says so this often. */
const WAITING_LOG_EVERY_MS = 10_000;

interface Listeners {
  dns: { key: string; server: DnsServer };
  health?: { key: string; ep: HttpEndpoint };
  ready?: { key: string; ep: HttpEndpoint };
  metrics?: { key: string; ep: HttpEndpoint };
}

type HttpKind = 'health' | 'ready' | 'metrics';

interface Running {
  chain: ServerChain;
  hash: string;
  listeners: Listeners;
}

export async function startClusterDns(o: ClusterDnsOptions): Promise<ClusterDns> {
  const log = o.log;
  const bindHost = o.host ?? '0.0.0.0';
  const metrics = createDnsMetrics();
  const reloadFailed: Counter = metrics.registry.counter('coredns_reload_failed_total', 'Corefile reloads that were refused.');
  const versionInfo: Gauge = metrics.registry.gauge('coredns_reload_version_info', 'The running Corefile, by its SHA512 hash.', ['hash', 'value']);
  const source = corefileSource(o.corefile, o.client, log);
  // Before any await: a change during start-up waits here (the latest wins) until we run.
  let started = false;
  let changedDuringStart: CorefileText | undefined;
  let queue = Promise.resolve();
  const enqueue = (t: CorefileText) => {
    queue = queue.then(() => reload(t)).catch(() => {});
  };
  source.onChange((t) => {
    if (started) enqueue(t);
    else changedDuringStart = t;
  });

  let initial: string;
  let block: ServerBlock;
  try {
    initial = await readInitial(source, o.corefileTimeoutMs ?? DEFAULT_COREFILE_TIMEOUT_MS, log);
    block = parseBlock(initial, log);
  } catch (err) {
    source.close();
    throw err;
  }
  const feed = startClusterFeed({ client: o.client, log, metrics, pods: block.plugins.kubernetes?.pods === 'verified', now: o.now });
  const chainFor = (b: ServerBlock) => buildServerChain(b, {
    view: feed.view, podsSynced: feed.podsSynced, metrics, log, localIPs: o.localIPs ?? [], forward: o.forward,
  });

  let running: Running | undefined;
  let shuttingDown = false;
  let reloads = 0;
  /** Replaced chains in their grace period, closed at once if the server closes first. */
  const retiring = new Set<ServerChain>();
  const dispatch = (req: DnsRequest) => running!.chain.handler(req);
  const routes: Record<HttpKind, HttpRoute> = {
    health: healthRoute(),
    ready: readyRoute(() => {
      if (shuttingDown) return null;
      return [...running!.chain.readiness].filter(([, ready]) => !ready()).map(([name]) => name);
    }),
    metrics: metricsRoute(metrics.registry),
  };

  const dnsSpec = (b: ServerBlock) => ({ host: bindHost, port: o.portOverride ?? b.port });
  const httpSpec = (a: ListenAddress) => ({ host: a.host === '' ? bindHost : a.host, port: o.portOverride ?? a.port });
  const keyOf = (s: { host: string; port: number }) => `${s.host}|${s.port}`;
  const httpAddress = (b: ServerBlock, kind: HttpKind): ListenAddress | undefined =>
    (kind === 'metrics' ? b.plugins.prometheus : b.plugins[kind])?.address;

  /** Binds what differs from `prev`; on failure closes what it bound and throws. */
  async function bindFor(b: ServerBlock, prev: Listeners | undefined): Promise<{ next: Listeners; fresh: (() => Promise<void>)[] }> {
    const fresh: (() => Promise<void>)[] = [];
    try {
      const d = dnsSpec(b);
      let dns = prev?.dns;
      if (!dns || dns.key !== keyOf(d)) {
        const server = await startDnsServer({
          host: d.host, port: d.port, handler: dispatch,
          onError: (err, ctx) => {
            log('dns server error', { level: 'error', stage: ctx.stage, error: String((err as Error)?.message ?? err) });
          },
          // The chain (its prometheus plugin) already counted a query whose answer failed to encode.
          onLocalAnswer: (a) => countDropped(metrics, (running?.chain.block ?? b).port, a, a.stage !== 'encode'),
          // Answers of the cluster view, replayed until the view or the configuration changes;
          // never with `log`, which must see every query, nor with a reloaded hosts file,
          // which may come to shadow a name the view answered.
          memo: {
            max: 10_000,
            entries: new Map(),
            enabled: () => running !== undefined && !running.chain.block.plugins.log &&
              !(running.chain.block.plugins.hosts && running.chain.block.plugins.hosts.reloadMs > 0),
            generation: () => reloads * 2 ** 32 + feed.view.version,
            hit: (e, client) => countMemoHit(metrics, running?.chain.block ?? b, e, client),
          },
        });
        fresh.push(() => server.close());
        dns = { key: keyOf(d), server };
      }
      const next: Listeners = { dns };
      for (const kind of ['health', 'ready', 'metrics'] as const) {
        const addr = httpAddress(b, kind);
        if (!addr) continue;
        const spec = httpSpec(addr);
        const old = prev?.[kind];
        if (old && old.key === keyOf(spec)) {
          next[kind] = old;
          continue;
        }
        const ep = await listenHttp(spec.host, spec.port, `/${kind}`, routes[kind]);
        fresh.push(() => ep.close());
        next[kind] = { key: keyOf(spec), ep };
      }
      return { next, fresh };
    } catch (err) {
      await Promise.all(fresh.map((c) => c()));
      throw err;
    }
  }

  async function closeUnused(prev: Listeners, next: Listeners | undefined): Promise<void> {
    const closing: Promise<void>[] = [];
    if (prev.dns !== next?.dns) closing.push(prev.dns.server.close());
    for (const kind of ['health', 'ready', 'metrics'] as const) {
      const old = prev[kind];
      if (old && old !== next?.[kind]) closing.push(old.ep.close());
    }
    await Promise.all(closing);
  }

  function announce(b: ServerBlock, hash: string, previous?: string): void {
    // As CoreDNS's reload plugin: one series, the running Corefile's.
    if (previous !== undefined && previous !== hash) versionInfo.delete({ hash: 'sha512', value: previous });
    versionInfo.set(1, { hash: 'sha512', value: hash });
    log(`${b.zones.map((z) => (z === '' ? '.' : z)).join(' ')}:${b.port}`, { level: 'banner' });
    log(`Running configuration SHA512 = ${hash}`, { level: 'info', plugin: 'reload' });
  }

  // CoreDNS blocks start-up until the informers sync, or startup_timeout passes; after that
  // it serves, answering SERVFAIL for cluster names until the sync completes.
  const startupMs = block.plugins.kubernetes?.startupTimeoutMs ?? DEFAULT_STARTUP_MS;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([feed.synced, new Promise<void>((r) => (timer = setTimeout(r, startupMs)))]);
  clearTimeout(timer);
  if (!feed.view.synced) log(`starting server with unsynced Kubernetes API after ${startupMs} ms`, { level: 'warning', plugin: 'kubernetes' });

  let firstChain: ServerChain | undefined;
  try {
    firstChain = chainFor(block);
    const { next } = await bindFor(block, undefined);
    running = { chain: firstChain, hash: sha512(initial), listeners: next };
  } catch (err) {
    firstChain?.close();
    feed.close();
    source.close();
    throw err;
  }
  announce(block, running.hash);

  // Reloads run one at a time, in the order the changes arrived.
  started = true;
  if (changedDuringStart) enqueue(changedDuringStart);
  changedDuringStart = undefined;

  async function reload(t: CorefileText): Promise<void> {
    if (shuttingDown || !running) return;
    const refuse = (why: string) => {
      reloadFailed.inc();
      log(`Corefile changed but reload failed: ${why}`, { level: 'error', plugin: 'reload', source: source.description });
    };
    if ('missing' in t) return refuse(`${t.missing}; keeping the running configuration`);
    const hash = sha512(t.text);
    if (hash === running.hash) return;
    log('Reloading', { level: 'info' });
    let b: ServerBlock;
    let chain: ServerChain;
    try {
      b = parseBlock(t.text, log);
      if (b.plugins.kubernetes?.pods === 'verified') feed.watchPods();
      chain = chainFor(b);
    } catch (err) {
      return refuse(err instanceof Error ? err.message : String(err));
    }
    let next: Listeners;
    try {
      next = (await bindFor(b, running.listeners)).next;
    } catch (err) {
      chain.close();
      return refuse(`cannot listen: ${err instanceof Error ? err.message : String(err)}`);
    }
    const prev = running;
    running = { chain, hash, listeners: next };
    reloads++;
    await closeUnused(prev.listeners, next);
    retiring.add(prev.chain);
    setTimeout(() => {
      retiring.delete(prev.chain);
      prev.chain.close();
    }, OLD_CHAIN_GRACE_MS).unref();
    announce(b, hash, prev.hash);
    log('Reloading complete', { level: 'info' });
  }

  let closing: Promise<void> | undefined;
  const self: ClusterDns = {
    get dnsPort() {
      return running!.listeners.dns.server.udpPort;
    },
    get healthPort() {
      return running!.listeners.health?.ep.port;
    },
    get readyPort() {
      return running!.listeners.ready?.ep.port;
    },
    get metricsPort() {
      return running!.listeners.metrics?.ep.port;
    },
    view: feed.view,
    metrics,
    reloads: () => reloads,
    reloadFailures: () => reloadFailed.get(),
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        source.close();
        await queue;
        const lameduckMs = running!.chain.block.plugins.health?.lameduckMs ?? 0;
        if (lameduckMs > 0) {
          log(`Going into lameduck mode for ${lameduckMs / 1000}s`, { level: 'info', plugin: 'health' });
          await sleep(lameduckMs);
        }
        feed.close();
        for (const c of retiring) c.close();
        retiring.clear();
        running!.chain.close();
        await closeUnused(running!.listeners, undefined);
      })();
      return closing;
    },
  };
  return self;
}

function sha512(text: string): string {
  return createHash('sha512').update(text).digest('hex');
}

/** The first Corefile text, or an error once `timeoutMs` passed without one (naming the last failure). */
async function readInitial(source: CorefileSource, timeoutMs: number, log: Logger): Promise<string> {
  const started = Date.now();
  const waiting = () => {
    const why = source.lastError();
    log(`waiting for the Corefile from ${source.description}`, {
      level: 'info', waitedMs: Date.now() - started, ...(why ? { lastError: why } : {}),
    });
  };
  if (source.description !== 'text') waiting();
  const ticker = setInterval(waiting, WAITING_LOG_EVERY_MS);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  try {
    const t = await Promise.race([source.first, deadline]);
    if (t === undefined) {
      const why = source.lastError();
      throw new Error(`no Corefile from ${source.description} after ${timeoutMs} ms${why ? `: ${why}` : ''}`);
    }
    if ('missing' in t) throw new Error(`no Corefile: ${t.missing} (${source.description})`);
    return t.text;
  } finally {
    clearInterval(ticker);
    clearTimeout(timer);
  }
}

/** The first server block; knet serves one (the lead's Corefile has one). */
function parseBlock(text: string, log: Logger): ServerBlock {
  const config = parseCorefile(text);
  if (config.servers.length === 0) throw new CorefileError(1, 'no server block; start one like ".:53 {"');
  if (config.servers.length > 1) {
    log('only the first server block is served; the others are ignored', { level: 'warning', blocks: config.servers.length });
  }
  return config.servers[0];
}
