// `cache [TTL] [ZONES...] { ... }` (coredns plugin/cache/README.md).

import { expectArgs, parseDuration, parseInteger, parseZone, unknownOption } from '../args.ts';
import { CorefileError } from '../errors.ts';
import type { Directive } from '../parser.ts';
import type { CacheConfig, CacheTier } from '../types.ts';

const options = ['success', 'denial', 'prefetch', 'serve_stale', 'servfail', 'disable', 'keepttl'];

// CoreDNS: 256 shards x 39 entries; TTL caps 3600 s (success) and 1800 s (denial), floor 5 s.
export const CACHE_DEFAULT_CAPACITY = 9984;
const maxTtlLimit = 2_147_483_647;

function readTier(o: Directive, base: CacheTier): CacheTier {
  expectArgs(o, 1, 3, `${o.name} CAPACITY [TTL [MINTTL]]`);
  const capacity = parseInteger(o.args[0], `${o.name} capacity`, 1, 100_000_000);
  const maxTtl = o.args.length > 1 ? parseInteger(o.args[1], `${o.name} TTL`, 1, maxTtlLimit) : base.maxTtl;
  const minTtl = o.args.length > 2 ? parseInteger(o.args[2], `${o.name} MINTTL`, 0, maxTtlLimit) : base.minTtl;
  return { capacity, maxTtl, minTtl };
}

export function readCache(d: Directive, serverZones: readonly string[]): CacheConfig {
  let args = d.args;
  let success: CacheTier = { capacity: CACHE_DEFAULT_CAPACITY, maxTtl: 3600, minTtl: 5 };
  let denial: CacheTier = { capacity: CACHE_DEFAULT_CAPACITY, maxTtl: 1800, minTtl: 5 };
  if (args.length > 0 && /^-?\d+$/.test(args[0].text)) {
    const ttl = parseInteger(args[0], 'cache TTL', 1, maxTtlLimit);
    success = { ...success, maxTtl: ttl };
    denial = { ...denial, maxTtl: ttl };
    args = args.slice(1);
  }
  const zones = args.length > 0 ? args.map((a) => parseZone(a)) : [...serverZones];
  let servfailTtl = 5;
  const disableSuccess: string[] = [];
  const disableDenial: string[] = [];
  let serveStale: CacheConfig['serveStale'] = null;
  let prefetch: CacheConfig['prefetch'] = null;
  let keepTtl = false;
  for (const o of d.block ?? []) {
    switch (o.name) {
      case 'success':
        success = readTier(o, success);
        break;
      case 'denial':
        denial = readTier(o, denial);
        break;
      case 'servfail': {
        expectArgs(o, 1, 1, 'servfail DURATION (at most 5m)');
        const ms = parseDuration(o.args[0], 'servfail');
        if (ms > 300_000) throw new CorefileError(o.line, `servfail may be at most 5m, not ${o.args[0].text}`);
        servfailTtl = Math.floor(ms / 1000);
        break;
      }
      case 'disable': {
        expectArgs(o, 1, Infinity, 'disable success|denial [ZONES...]');
        const kind = o.args[0].text;
        if (kind !== 'success' && kind !== 'denial') {
          throw new CorefileError(o.line, `disable takes success or denial first, not "${kind}"; write: disable success cluster.local`);
        }
        const list = o.args.length > 1 ? o.args.slice(1).map((a) => parseZone(a)) : zones;
        (kind === 'success' ? disableSuccess : disableDenial).push(...list);
        break;
      }
      case 'serve_stale': {
        expectArgs(o, 0, 2, 'serve_stale [DURATION] [immediate|verified]');
        const maxStaleMs = o.args.length > 0 ? parseDuration(o.args[0], 'serve_stale') : 3_600_000;
        const mode = o.args.length > 1 ? o.args[1].text : 'immediate';
        if (mode !== 'immediate' && mode !== 'verified') {
          throw new CorefileError(o.line, `serve_stale refresh mode must be immediate or verified, not "${mode}"`);
        }
        serveStale = { maxStaleMs, refreshMode: mode };
        break;
      }
      case 'prefetch': {
        expectArgs(o, 1, 3, 'prefetch AMOUNT [DURATION [PERCENTAGE%]]');
        const amount = parseInteger(o.args[0], 'prefetch amount', 0, 1_000_000_000);
        const durationMs = o.args.length > 1 ? parseDuration(o.args[1], 'prefetch duration') : 60_000;
        let percentage = 10;
        if (o.args.length > 2) {
          const pct = o.args[2];
          if (!pct.text.endsWith('%')) throw new CorefileError(pct.line, `prefetch percentage must end in %, e.g. 10%, not "${pct.text}"`);
          percentage = parseInteger({ text: pct.text.slice(0, -1), line: pct.line }, 'prefetch percentage', 10, 90);
        }
        prefetch = { amount, durationMs, percentage };
        break;
      }
      case 'keepttl':
        expectArgs(o, 0, 0, 'keepttl');
        keepTtl = true;
        break;
      default:
        throw unknownOption('cache', o, options);
    }
  }
  return { zones, success, denial, servfailTtl, disableSuccess, disableDenial, serveStale, prefetch, keepTtl };
}
