// parseCorefile: text in, a frozen CorefileConfig out, or a CorefileError naming the line.

import { deepFreeze, parseZone } from './args.ts';
import { readCache } from './directives/cache.ts';
import { readForward } from './directives/forward.ts';
import { readHosts } from './directives/hosts.ts';
import { readKubernetes } from './directives/kubernetes.ts';
import { readRewrite } from './directives/rewrite.ts';
import {
  readErrors, readHealth, readLoadbalance, readLog, readLoop, readPrometheus, readReady, readReload,
} from './directives/simple.ts';
import { CorefileError, didYouMean } from './errors.ts';
import { orderOf, PLUGIN_ORDER, REPEATABLE } from './order.ts';
import { parseStructure, type Arg, type Directive, type RawServerBlock } from './parser.ts';
import type { CorefileConfig, ForwardConfig, PluginConfigs, RewriteRule, ServerBlock } from './types.ts';

/** A CoreDNS plugin knet does not run gets its own message, not "unknown directive". */
const COREDNS_ONLY = new Set(['metadata', 'cancel', 'tls', 'nsid', 'bufsize', 'root', 'bind', 'debug', 'trace',
  'pprof', 'dnstap', 'acl', 'any', 'chaos', 'dnssec', 'autopath', 'template', 'transfer', 'route53', 'azure',
  'clouddns', 'federation', 'k8s_external', 'file', 'auto', 'secondary', 'etcd', 'grpc', 'erratic', 'whoami',
  'on', 'sign', 'import', 'local', 'minimal', 'view', 'timeouts', 'header', 'geoip', 'multisocket']);

function readKey(arg: Arg): { zone: string; port: number } {
  let text = arg.text;
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(text);
  if (scheme) {
    if (scheme[1].toLowerCase() !== 'dns') {
      throw new CorefileError(arg.line, `server "${arg.text}": knet serves plain DNS only; write ZONE[:PORT] or dns://ZONE[:PORT]`);
    }
    text = text.slice(scheme[0].length);
  }
  let port = 53;
  const colon = text.lastIndexOf(':');
  if (colon >= 0) {
    const portText = text.slice(colon + 1);
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new CorefileError(arg.line, `server "${arg.text}" has an invalid port "${portText}"; write ZONE:PORT, e.g. .:53`);
    }
    port = Number(portText);
    text = text.slice(0, colon);
  }
  return { zone: parseZone({ text: text === '' ? '.' : text, line: arg.line }, 'server zone'), port };
}

type Mutable = { -readonly [K in keyof PluginConfigs]: PluginConfigs[K] } & { forward: ForwardConfig[]; rewrite: RewriteRule[] };

function readDirective(d: Directive, zones: readonly string[], into: Mutable): void {
  switch (d.name) {
    case 'kubernetes': into.kubernetes = readKubernetes(d, zones); break;
    case 'forward': into.forward.push(readForward(d)); break;
    case 'cache': into.cache = readCache(d, zones); break;
    case 'hosts': into.hosts = readHosts(d, zones); break;
    case 'rewrite': into.rewrite.push(readRewrite(d)); break;
    case 'log': into.log = readLog(d); break;
    case 'errors': into.errors = readErrors(d); break;
    case 'health': into.health = readHealth(d); break;
    case 'ready': into.ready = readReady(d); break;
    case 'prometheus': into.prometheus = readPrometheus(d); break;
    case 'loadbalance': into.loadbalance = readLoadbalance(d); break;
    case 'reload': into.reload = readReload(d); break;
    case 'loop': into.loop = readLoop(d); break;
    default: throw new Error(`unreachable: ${d.name}`);
  }
}

function readServerBlock(raw: RawServerBlock): ServerBlock {
  if (raw.keys.length === 0) throw new CorefileError(raw.line, 'server block has no zone; start it like ".:53 {"');
  const keys = raw.keys.map(readKey);
  const port = keys[0].port;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i].port !== port) {
      throw new CorefileError(raw.keys[i].line, `zones of one server block must share a port (${port} and ${keys[i].port}); put them in separate blocks`);
    }
  }
  const zones = [...new Set(keys.map((k) => k.zone))];
  const plugins: Mutable = { forward: [], rewrite: [] };
  const seen = new Map<string, number>();
  for (const d of raw.directives) {
    if (orderOf(d.name) < 0) {
      if (COREDNS_ONLY.has(d.name)) {
        throw new CorefileError(d.line, `directive "${d.name}" is a CoreDNS plugin knet does not implement; knet knows: ${PLUGIN_ORDER.join(', ')}`);
      }
      throw new CorefileError(d.line, `unknown directive "${d.name}"${didYouMean(d.name, PLUGIN_ORDER)}; knet knows: ${PLUGIN_ORDER.join(', ')}`);
    }
    const before = seen.get(d.name);
    if (before !== undefined && !REPEATABLE.has(d.name)) {
      throw new CorefileError(d.line, `"${d.name}" may appear only once per server block (first at line ${before}); merge the two`);
    }
    seen.set(d.name, d.line);
    readDirective(d, zones, plugins);
  }
  const order = PLUGIN_ORDER.filter((name) => seen.has(name));
  return { line: raw.line, zones, port, plugins, order };
}

export function parseCorefile(source: string, file = 'Corefile'): CorefileConfig {
  try {
    const servers = parseStructure(source).map(readServerBlock);
    const where = new Map<string, number>();
    for (const s of servers) {
      for (const z of s.zones) {
        const key = `${z === '' ? '.' : z}:${s.port}`;
        const first = where.get(key);
        if (first !== undefined) {
          throw new CorefileError(s.line, `zone ${key} is already served by the block at line ${first}; merge the two blocks`);
        }
        where.set(key, s.line);
      }
    }
    if (servers.length === 0) throw new CorefileError(1, 'the Corefile has no server block; start with ".:53 {"');
    return deepFreeze({ servers });
  } catch (e) {
    if (e instanceof CorefileError && e.file !== file) throw new CorefileError(e.line, e.detail, file);
    throw e;
  }
}
