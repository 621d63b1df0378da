// Value parsers shared by the directive readers. Each throws a CorefileError naming the line,
// the bad value and the form it should take.

import { isIP } from 'node:net';
import { CorefileError } from './errors.ts';
import type { Arg, Directive } from './parser.ts';
import type { Fallthrough, ListenAddress } from './types.ts';

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration forms ("5s", "1m30s", "300ms", "1.5h"), as CoreDNS accepts them. */
export function parseDuration(arg: Arg, what: string): number {
  const text = arg.text;
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * unitMs[m[2]];
    at = re.lastIndex;
  }
  if (at === 0 || at !== text.length) {
    const hint = /^\d+$/.test(text) ? `; add a unit, e.g. ${text}s` : '; write it like 5s, 300ms or 1m30s';
    throw new CorefileError(arg.line, `invalid duration "${text}" for ${what}${hint}`);
  }
  return Math.round(total);
}

export function parseInteger(arg: Arg, what: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(arg.text)) {
    throw new CorefileError(arg.line, `${what} must be a whole number between ${min} and ${max}, not "${arg.text}"`);
  }
  const n = Number(arg.text);
  if (n < min || n > max) {
    throw new CorefileError(arg.line, `${what} must be between ${min} and ${max}, not ${n}`);
  }
  return n;
}

const label = /^(\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/** A zone or domain name: lowercased, without the trailing dot; "." is the root "". */
export function parseZone(arg: Arg, what = 'zone'): string {
  let text = arg.text.toLowerCase();
  if (text.startsWith('dns://')) text = text.slice(6);
  if (text === '.' || text === '') return '';
  if (/^[0-9a-f.:]+\/\d+$/.test(text)) {
    throw new CorefileError(arg.line, `${what} "${arg.text}" is a CIDR; knet does not expand CIDRs into reverse zones yet, write in-addr.arpa or ip6.arpa instead`);
  }
  if (text.endsWith('.')) text = text.slice(0, -1);
  const labels = text.split('.');
  if (text.length > 253 || labels.some((l) => !label.test(l))) {
    throw new CorefileError(arg.line, `invalid ${what} "${arg.text}": write a domain name such as cluster.local or example.org.`);
  }
  return text;
}

/** True when `name` is `zone` or below it (both lowercased, no trailing dot). */
export function inZone(name: string, zone: string): boolean {
  if (zone === '') return true;
  return name === zone || name.endsWith('.' + zone);
}

/** The longest of `zones` containing `name` (compared case-insensitively), or undefined. */
export function matchZone(zones: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  for (const z of zones) if (inZone(lower, z) && (best === undefined || z.length > best.length)) best = z;
  return best;
}

/** Whether a `fallthrough` setting lets a query for `name` go down the chain. */
export function fallsThrough(ft: Fallthrough, name: string): boolean {
  if (ft === null) return false;
  return ft.zones.length === 0 || matchZone(ft.zones, name) !== undefined;
}

/** `[HOST]:PORT`, `HOST:PORT`, `:PORT` or `HOST` (then `defaultPort`). */
export function parseListenAddress(arg: Arg, what: string, defaultPort: number): ListenAddress {
  const text = arg.text;
  let host = text;
  let port = defaultPort;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) {
    host = bracket[1];
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if (text.includes(':') && isIP(text) !== 6) {
    const i = text.lastIndexOf(':');
    host = text.slice(0, i);
    const portText = text.slice(i + 1);
    if (!/^\d+$/.test(portText)) throw new CorefileError(arg.line, `invalid port in ${what} "${text}"; write HOST:PORT, e.g. :9153`);
    port = Number(portText);
  }
  if (port < 1 || port > 65535) throw new CorefileError(arg.line, `port ${port} in ${what} "${text}" is out of range 1-65535`);
  if (host !== '' && host !== 'localhost' && isIP(host) === 0 && !/^[a-z0-9.-]+$/i.test(host)) {
    throw new CorefileError(arg.line, `invalid host in ${what} "${text}"; write an IP address, localhost, or leave it empty (":${port}")`);
  }
  return { host, port };
}

/** Throws unless the directive has between `min` and `max` arguments. */
export function expectArgs(d: Directive, min: number, max: number, usage: string): void {
  const n = d.args.length;
  if (n < min || n > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new CorefileError(d.line, `"${d.name}" takes ${want} argument${min === 1 && max === 1 ? '' : 's'}, got ${n}; write: ${usage}`);
  }
}

export function expectNoBlock(d: Directive, usage: string): void {
  if (d.block !== null) throw new CorefileError(d.line, `"${d.name}" takes no block; write: ${usage}`);
}

export function unknownOption(plugin: string, option: Directive, known: readonly string[]): CorefileError {
  return new CorefileError(option.line, `unknown option "${option.name}" in ${plugin}; knet knows: ${known.join(', ')}`);
}

export function parseFallthrough(d: Directive): Fallthrough {
  return Object.freeze({ zones: Object.freeze(d.args.map((a) => parseZone(a, 'fallthrough zone'))) });
}

/** Recursively freezes a config value. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
