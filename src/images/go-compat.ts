// Behaviour of the Go standard library that the upstream programs expose in their output:
// log.Printf's prefix, time.Duration syntax, encoding/json's map ordering and escaping,
// net.JoinHostPort, and flag parsing in the style of pflag (cobra) and of Go's `flag`.

/** `2006/01/02 15:04:05 msg`, Go's default log line, to stderr. */
export function goLog(message: string): void {
  process.stderr.write(goLogLine(message));
}

export function goLogLine(message: string, now: Date = new Date()): string {
  const text = message.endsWith('\n') ? message : message + '\n';
  return `${goLogTimestamp(now)} ${text}`;
}

export function goLogTimestamp(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}/${p(now.getMonth() + 1)}/${p(now.getDate())} ` +
    `${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

const durationUnits: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** Parses a Go duration ("1m30s", "250ms", "0") into milliseconds; throws Go's message. */
export function parseGoDuration(text: string): number {
  const invalid = () => new Error(`time: invalid duration ${goQuote(text)}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)?/;
  while (rest !== '') {
    const match = part.exec(rest);
    if (!match) throw invalid();
    if (match[2] === undefined) throw new Error(`time: missing unit in duration ${goQuote(text)}`);
    total += Number(match[1]) * durationUnits[match[2]];
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}

/** Formats milliseconds the way Go's Duration.String does ("0s", "1.5s", "1m30s", "100ms"). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const trim = (n: number) => String(Number(n.toFixed(9)));
  if (abs < 1e-3) return `${sign}${trim(abs * 1e6)}ns`;
  if (abs < 1) return `${sign}${trim(abs * 1e3)}µs`;
  if (abs < 1000) return `${sign}${trim(abs)}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const seconds = trim((abs % 60_000) / 1000);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** Go's %q for plain strings. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** encoding/json.Marshal: map keys sorted, and <, >, & escaped as Go does for HTML safety. */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** IPv4-mapped IPv6 addresses (from dual-stack sockets) print as IPv4, as Go does. */
export function unmapAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function joinHostPort(host: string, port: number | string): string {
  const h = unmapAddress(host);
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
}

/** http.CanonicalHeaderKey: "x-forwarded-for" -> "X-Forwarded-For". */
export function canonicalHeaderKey(key: string): string {
  return key.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

export type FlagKind = 'bool' | 'int' | 'string' | 'duration';
export type FlagSpec = Record<string, { kind: FlagKind; default: boolean | number | string }>;
export type FlagValues = Record<string, boolean | number | string>;

export class FlagError extends Error {}

/**
 * Parses flags. `pflag` style (cobra, agnhost): `--name=v`, `--name v`, flags and
 * positionals interleaved, single-dash long names rejected. `go` style (hashicorp, traefik):
 * `-name` or `--name`, parsing stops at the first positional. Durations stay in ms.
 */
export function parseFlags(args: string[], spec: FlagSpec, style: 'pflag' | 'go'): { flags: FlagValues; positionals: string[] } {
  const flags: FlagValues = {};
  for (const [name, s] of Object.entries(spec)) flags[name] = s.default;
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') { positionals.push(...args.slice(i + 1)); break; }
    const isFlag = style === 'pflag' ? arg.startsWith('--') : arg.startsWith('-') && arg !== '-';
    if (!isFlag) {
      if (style === 'pflag' && arg.startsWith('-') && arg !== '-') {
        throw new FlagError(`unknown shorthand flag: '${arg[1]}' in ${arg}`);
      }
      if (style === 'go') { positionals.push(...args.slice(i)); break; }
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const s = spec[name];
    if (!s) {
      throw new FlagError(style === 'pflag' ? `unknown flag: --${name}` : `flag provided but not defined: -${name}`);
    }
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (s.kind === 'bool') raw = 'true';
    else if (i + 1 < args.length) raw = args[++i];
    else throw new FlagError(style === 'pflag' ? `flag needs an argument: --${name}` : `flag needs an argument: -${name}`);
    flags[name] = convertFlag(name, s.kind, raw, style);
  }
  return { flags, positionals };
}

function convertFlag(name: string, kind: FlagKind, raw: string, style: 'pflag' | 'go'): boolean | number | string {
  const bad = (why: string) => new FlagError(style === 'pflag'
    ? `invalid argument ${goQuote(raw)} for "--${name}" flag: ${why}`
    : `invalid value ${goQuote(raw)} for flag -${name}: ${why}`);
  switch (kind) {
    case 'string': return raw;
    case 'bool': {
      if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
      if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
      throw bad(`strconv.ParseBool: parsing ${goQuote(raw)}: invalid syntax`);
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw bad(`strconv.ParseInt: parsing ${goQuote(raw)}: invalid syntax`);
      return Number(raw);
    }
    case 'duration': {
      try { return parseGoDuration(raw); } catch (err) { throw bad((err as Error).message); }
    }
  }
}
