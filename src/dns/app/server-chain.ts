// One server block of a parsed Corefile -> one plugin chain. The order is the block's
// `order` (PLUGIN_ORDER, i.e. CoreDNS's plugin.cfg), never the Corefile's line order. The
// directives that are not query handlers (reload, ready, health) are served by the app
// around the chain; `loop` is accepted and does nothing (knet's forward has no self-loop
// detection). Every plugin shares the one metrics registry of the process.

import { readFileSync } from 'node:fs';
import type { Logger } from '../../lib/log.ts';
import { matchZone } from '../corefile/index.ts';
import type { ForwardConfig, KubernetesConfig, ServerBlock } from '../corefile/index.ts';
import { kubernetesPlugin } from '../kubernetes/index.ts';
import type { ClusterView } from '../kubernetes/index.ts';
import {
  countDropped, createCachePlugin, createErrorsPlugin, createForwardPlugin, createHostsPlugin, createLoadbalancePlugin, createLogPlugin,
  createMetricsPlugin, createRewritePlugin,
} from '../plugins/index.ts';
import type { DnsMetrics, ForwardPlugin, ForwardPluginOptions } from '../plugins/index.ts';
import { buildChain } from '../server/index.ts';
import type { DnsHandler, DnsPlugin, DnsRequest } from '../server/index.ts';
import { Rcode } from '../wire/index.ts';

/** Builds a forwarder; tests may pass a scripted one. */
export type ForwardFactory = (cfg: ForwardConfig, opts?: ForwardPluginOptions) => Pick<ForwardPlugin, 'name' | 'handle' | 'close'>;

export interface ChainDeps {
  view: ClusterView;
  /** False while a pod informer the configuration needs has not listed yet. */
  podsSynced: () => boolean;
  metrics: DnsMetrics;
  log: Logger;
  localIPs: readonly string[];
  forward?: ForwardFactory;
  /** Reads the hosts file; a missing file reads as ''. */
  readFile?: (path: string) => string;
  /** Reads resolv.conf files named as upstreams; default: the forwarder's own (a missing file is an error). */
  resolvConf?: (path: string) => string;
}

export interface ServerChain {
  readonly block: ServerBlock;
  readonly handler: DnsHandler;
  /** The plugins in execution order. */
  readonly plugins: readonly DnsPlugin[];
  /** Plugins that can say whether they are ready (CoreDNS's ready.Readiness), by name. */
  readonly readiness: ReadonlyMap<string, () => boolean>;
  /** Stops the chain's timers and upstream sockets. */
  close(): void;
}

/** Adds CoreDNS's `plugin/NAME` and level to every line a plugin logs. */
export function pluginLogger(log: Logger, plugin: string, level: 'info' | 'warning' | 'error'): Logger {
  return (msg, fields) => log(msg, { level, plugin, ...fields });
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function kubernetesOptions(k: KubernetesConfig, localIPs: readonly string[]) {
  return {
    zones: [...k.zones],
    ttl: k.ttl,
    pods: k.pods,
    endpointPodNames: k.endpointPodNames,
    ignoreEmptyService: k.ignoreEmptyService,
    // An empty zone list in the Corefile means "every zone".
    fallthrough: k.fallthrough === null ? undefined : k.fallthrough.zones.length === 0 ? (true as const) : [...k.fallthrough.zones],
    namespaces: [...k.namespaces],
    localIPs: [...localIPs],
  };
}

export function buildServerChain(block: ServerBlock, deps: ChainDeps): ServerChain {
  const readFile = deps.readFile ?? readOrEmpty;
  const server = `dns://:${block.port}`;
  const p = block.plugins;
  const plugins: DnsPlugin[] = [];
  const readiness = new Map<string, () => boolean>();
  const closers: (() => void)[] = [];
  // ExternalName targets outside the zones are resolved through the whole chain, as
  // CoreDNS's upstream does; bound after the chain is built.
  let whole: DnsHandler = () => Promise.reject(new Error('chain not built'));

  for (const name of block.order) {
    switch (name) {
      case 'prometheus':
        plugins.push(createMetricsPlugin({ metrics: deps.metrics, zones: block.zones, port: block.port }));
        break;
      case 'errors':
        plugins.push(createErrorsPlugin(pluginLogger(deps.log, 'errors', 'error')));
        break;
      case 'log':
        plugins.push(createLogPlugin(p.log!, pluginLogger(deps.log, 'log', 'info')));
        break;
      case 'loadbalance':
        plugins.push(createLoadbalancePlugin());
        break;
      case 'cache':
        plugins.push(createCachePlugin(p.cache!, { metrics: deps.metrics, server }));
        break;
      case 'rewrite':
        plugins.push(createRewritePlugin(p.rewrite));
        break;
      case 'hosts': {
        const cfg = p.hosts!;
        const hosts = createHostsPlugin(cfg, { fileContent: readFile(cfg.file) });
        if (cfg.reloadMs > 0) {
          const timer = setInterval(() => hosts.setFileContent(readFile(cfg.file)), cfg.reloadMs);
          timer.unref();
          closers.push(() => clearInterval(timer));
        }
        plugins.push(hosts);
        break;
      }
      case 'kubernetes':
        plugins.push(kubernetesPlugin(deps.view, {
          ...kubernetesOptions(p.kubernetes!, deps.localIPs),
          resolveTarget: (req: DnsRequest) => whole(req),
        }));
        readiness.set('kubernetes', () => deps.view.synced && deps.podsSynced());
        break;
      case 'forward': {
        const factory = deps.forward ?? createForwardPlugin;
        for (const cfg of p.forward) {
          // Several forward lines run in the order written, each passing on what it does not own.
          const f = factory(cfg, { metrics: deps.metrics, log: pluginLogger(deps.log, 'forward', 'error'), resolvConf: deps.resolvConf });
          closers.push(() => f.close());
          plugins.push(f);
        }
        break;
      }
      default:
        break; // reload, ready, health, loop: not query handlers
    }
  }

  const chain = buildChain(plugins);
  // Names outside every zone of the block are not this server's (CoreDNS: REFUSED when no
  // server block matches the query, counted under zone "dropped").
  const handler: DnsHandler = (req) => {
    if (matchZone(block.zones, req.question.name) === undefined) {
      countDropped(deps.metrics, block.port, { rcode: Rcode.REFUSED, client: req.client, question: req.question });
      return Promise.resolve({ rcode: Rcode.REFUSED, answers: [], authority: [], additional: [] });
    }
    return chain(req);
  };
  whole = handler;
  return {
    block,
    handler,
    plugins,
    readiness,
    close() {
      for (const c of closers.splice(0)) {
        try {
          c();
        } catch {
          // closing is best effort; a failing forwarder must not stop the others
        }
      }
    },
  };
}
