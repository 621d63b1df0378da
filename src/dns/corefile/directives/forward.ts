// `forward FROM TO... { ... }` (coredns plugin/forward/README.md). Only the typed config lives
// here; the forwarder itself needs sockets and is built elsewhere.

import { isIP } from 'node:net';
import { expectArgs, parseDuration, parseInteger, parseZone, unknownOption } from '../args.ts';
import { CorefileError } from '../errors.ts';
import type { Arg, Directive } from '../parser.ts';
import type { ForwardConfig, ForwardUpstream } from '../types.ts';

const options = ['except', 'force_tcp', 'prefer_udp', 'expire', 'max_fails', 'policy', 'health_check', 'max_concurrent'];
const notSupported = ['tls', 'tls_servername', 'max_idle_conns', 'max_connect_attempts', 'doh_method', 'next',
  'next_on_nodata', 'failfast_all_unhealthy_upstreams', 'failover', 'resolver'];

/** CoreDNS caps a forward at 15 upstreams. */
const maxUpstreams = 15;

function readUpstream(arg: Arg): ForwardUpstream {
  let text = arg.text;
  const scheme = /^([a-z]+):\/\//.exec(text);
  if (scheme) {
    if (scheme[1] !== 'dns') {
      throw new CorefileError(arg.line, `upstream "${text}": knet forwards plain DNS only; write dns://IP[:PORT] or IP[:PORT]`);
    }
    text = text.slice(scheme[0].length);
  }
  if (text.startsWith('/') || text.startsWith('./')) return { kind: 'resolv-conf', path: text };
  if (isIP(text) !== 0) return { kind: 'address', host: text, port: 53 };
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (m && isIP(m[1]) !== 0) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new CorefileError(arg.line, `upstream "${arg.text}": port ${port} is out of range 1-65535`);
    return { kind: 'address', host: m[1], port };
  }
  throw new CorefileError(arg.line, `upstream "${arg.text}" is neither IP[:PORT] ([IPv6]:PORT) nor a resolv.conf path such as /etc/resolv.conf`);
}

export function readForward(d: Directive): ForwardConfig {
  expectArgs(d, 2, Infinity, 'forward FROM TO... (e.g. forward . /etc/resolv.conf)');
  const from = parseZone(d.args[0], 'forward FROM zone');
  const to = d.args.slice(1).map(readUpstream);
  if (to.length > maxUpstreams) throw new CorefileError(d.line, `forward takes at most ${maxUpstreams} upstreams, got ${to.length}`);
  const cfg = {
    from, to, except: [] as string[], policy: 'random' as ForwardConfig['policy'], maxFails: 2, healthCheckMs: 500,
    maxConcurrent: null as number | null, forceTcp: false, preferUdp: false, expireMs: 10_000,
  };
  for (const o of d.block ?? []) {
    switch (o.name) {
      case 'except':
        expectArgs(o, 1, Infinity, 'except NAME...');
        cfg.except = o.args.map((a) => parseZone(a, 'except name'));
        break;
      case 'force_tcp':
        expectArgs(o, 0, 0, 'force_tcp');
        cfg.forceTcp = true;
        break;
      case 'prefer_udp':
        expectArgs(o, 0, 0, 'prefer_udp');
        cfg.preferUdp = true;
        break;
      case 'expire':
        expectArgs(o, 1, 1, 'expire DURATION');
        cfg.expireMs = parseDuration(o.args[0], 'expire');
        break;
      case 'max_fails':
        expectArgs(o, 1, 1, 'max_fails INTEGER');
        cfg.maxFails = parseInteger(o.args[0], 'max_fails', 0, 1_000_000);
        break;
      case 'policy': {
        expectArgs(o, 1, 1, 'policy random|round_robin|sequential');
        const v = o.args[0].text;
        if (v !== 'random' && v !== 'round_robin' && v !== 'sequential') {
          throw new CorefileError(o.line, `policy must be random, round_robin or sequential, not "${v}"`);
        }
        cfg.policy = v;
        break;
      }
      case 'health_check':
        expectArgs(o, 1, 1, 'health_check DURATION');
        cfg.healthCheckMs = parseDuration(o.args[0], 'health_check');
        break;
      case 'max_concurrent':
        expectArgs(o, 1, 1, 'max_concurrent MAX');
        cfg.maxConcurrent = parseInteger(o.args[0], 'max_concurrent', 1, 10_000_000);
        break;
      default:
        if (notSupported.includes(o.name)) throw new CorefileError(o.line, `forward option "${o.name}" is not supported by knet; remove it`);
        throw unknownOption('forward', o, options);
    }
  }
  return cfg;
}
