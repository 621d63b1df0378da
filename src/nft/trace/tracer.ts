// A test-only packet tracer: follows one packet (the first of a connection) through a
// Table's base chains in netfilter order and reports the verdict, the DNAT and whether it
// was masqueraded. It interprets rule text (see parse.ts) against set and map elements,
// so tests exercise exactly what the applier would load.

import { KnetError } from '../../lib/errors.ts';
import type { Chain, Hook, Table } from '../model.ts';
import { parseRule, type Expr, type Field, type Rhs, type Statement, type VerdictText } from './parse.ts';

// ---- packets and results --------------------------------------------------------------------

export type L4 = 'tcp' | 'udp' | 'sctp' | 'icmp';

export interface TracePacket {
  src: string;
  dst: string;
  proto: L4;
  sport?: number;
  dport?: number;
  /** Where the packet comes from: a pod or the fabric (enters prerouting), or the node itself ('lo'). */
  iif?: 'pod' | 'eth0' | 'lo';
  /**
   * 'output' also means "sent by the node itself". 'input'/'forward' are accepted for
   * readability only: after prerouting the tracer routes by the (possibly DNATed)
   * destination, as the kernel does: local address -> input, anything else -> forward.
   */
  hook?: 'forward' | 'input' | 'output';
  /** The node's own addresses: `fib ... type local` and the input/forward choice use them (127/8 always counts). */
  localAddrs: string[];
  /**
   * Pod addresses on this node, each behind its own link (as the ptp CNI wires them), for
   * `fib daddr . iif oif`; a packet from a pod (iif 'pod') comes in on its source's link,
   * which is counted here too. Every other address is routed out through eth0.
   */
  localPods?: string[];
  /** Source of randomness for `numgen random` in [0, 1); slot = floor(r * 2^32) mod N. */
  random?: () => number;
  mark?: number;
  ctState?: 'new' | 'established' | 'related';
}

export interface TraceResult {
  verdict: 'accept' | 'drop' | 'reject';
  /** How a reject answers: 'tcp reset' or 'icmp port-unreachable'. */
  rejectWith?: string;
  dnat?: { addr: string; port?: number };
  masquerade: boolean;
  /** Hooks, chains entered and rules that matched, in order: "hook prerouting", "chain services", "rule services: ...". */
  path: string[];
  /** The packet's mark when it left (or was dropped). */
  mark: number;
}

export class TraceError extends KnetError {
  constructor(message: string) {
    super('nft-trace', message);
  }
}

// ---- hook order -----------------------------------------------------------------------------

const NAMED_PRIORITIES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

export function priorityValue(p: number | string): number {
  if (typeof p === 'number') return p;
  const m = p.trim().match(/^([a-z]+)\s*(?:([+-])\s*(\d+))?$/);
  if (!m || NAMED_PRIORITIES[m[1]] === undefined) throw new TraceError(`unknown priority "${p}"`);
  return NAMED_PRIORITIES[m[1]] + (m[2] ? (m[2] === '-' ? -1 : 1) * Number(m[3]) : 0);
}

// ---- the tracer -----------------------------------------------------------------------------

type Outcome = 'accept' | 'drop' | 'reject' | 'return' | 'fallthrough';

interface PacketState {
  saddr: string;
  daddr: string;
  proto: L4;
  sport?: number;
  dport?: number;
  mark: number;
  ctState: string;
  dnatDone: boolean;
  local: Set<string>;
  random: () => number;
  /** The link the packet came in on: `pod:<src>` for a pod, else eth0 or lo. */
  iif: string;
  /** Its name: a pod's link is a ptp veth (`veth<hex>` as the CNI names it). */
  iifname: string;
  localPods: Set<string>;
}

/**
 * A tracer over one table. Dynamic sets (`update @set`) keep their elements between
 * traces, so ClientIP affinity can be followed across connections; timeouts never expire.
 */
export class PacketTracer {
  readonly table: Table;
  private readonly chains = new Map<string, { chain: Chain; parsed: Statement[][] }>();
  private readonly elements = new Map<string, Map<string, string>>();
  private readonly dynamic = new Map<string, Set<string>>();

  constructor(table: Table) {
    this.table = table;
    // Parse everything up front: unknown syntax fails the first trace, whatever the packet.
    for (const c of table.chains) this.chains.set(c.name, { chain: c, parsed: c.rules.map((r) => parseRule(r.text)) });
    for (const s of table.sets) this.elements.set(s.name, new Map(s.elements.map((e) => [norm(e), ''])));
    for (const m of table.maps) this.elements.set(m.name, new Map(m.elements.map(([k, v]) => [norm(k), v.trim()])));
  }

  trace(p: TracePacket): TraceResult {
    const st: PacketState = {
      saddr: p.src, daddr: p.dst, proto: p.proto, sport: p.sport, dport: p.dport, mark: p.mark ?? 0,
      ctState: p.ctState ?? 'new', dnatDone: false, local: new Set(p.localAddrs), random: p.random ?? Math.random,
      iif: p.iif === 'pod' ? `pod:${p.src}` : p.iif ?? 'eth0',
      iifname: p.iif === 'pod' ? 'veth0a1b2c3d' : p.iif ?? 'eth0',
      localPods: new Set([...(p.localPods ?? []), ...(p.iif === 'pod' ? [p.src] : [])]),
    };
    const res: TraceResult = { verdict: 'accept', masquerade: false, path: [], mark: 0 };
    const finish = (): TraceResult => {
      res.mark = st.mark;
      if (st.dnatDone) res.dnat = { addr: st.daddr, port: st.dport };
      return res;
    };
    const fromHost = p.iif === 'lo' || p.hook === 'output';
    const hooks: [Hook, boolean][] = fromHost
      ? [['output', true], ['postrouting', true]]
      : [['prerouting', true]];
    for (const [hook, nat] of hooks) if (!this.runHook(hook, nat, st, res)) return finish();
    if (fromHost) {
      // Delivered to the node itself over loopback: the connection's NAT is already bound,
      // only filter chains see it again.
      if (this.isLocal(st.daddr, st)) {
        for (const hook of ['prerouting', 'input'] as Hook[]) if (!this.runHook(hook, false, st, res)) return finish();
      }
      return finish();
    }
    const route: Hook[] = this.isLocal(st.daddr, st) ? ['input'] : ['forward', 'postrouting'];
    for (const hook of route) if (!this.runHook(hook, true, st, res)) return finish();
    return finish();
  }

  /** Runs every base chain of a hook by priority; false when the packet is gone. */
  private runHook(hook: Hook, withNat: boolean, st: PacketState, res: TraceResult): boolean {
    const chains = this.table.chains.filter((c) => c.base?.hook === hook && (withNat || c.base.type !== 'nat'))
      .sort((a, b) => priorityValue(a.base!.priority) - priorityValue(b.base!.priority));
    if (chains.length > 0) res.path.push(`hook ${hook}`);
    for (const c of chains) {
      const out = this.runChain(c.name, st, res, 0);
      const final = out === 'return' || out === 'fallthrough' ? (c.base!.policy ?? 'accept') : out;
      if (final === 'drop' || final === 'reject') {
        res.verdict = final;
        return false;
      }
    }
    return true;
  }

  // ---- chains and rules ---------------------------------------------------------------------

  private runChain(name: string, st: PacketState, res: TraceResult, depth: number): Outcome {
    const entry = this.chains.get(name);
    if (!entry) throw new TraceError(`jump to unknown chain "${name}"`);
    if (depth > 16) throw new TraceError(`chain nesting deeper than 16 at "${name}" (nft's limit)`);
    res.path.push(`chain ${name}`);
    for (let i = 0; i < entry.parsed.length; i++) {
      const out = this.runRule(entry.parsed[i], st, res, depth, () => res.path.push(`rule ${name}: ${entry.chain.rules[i].text}`));
      if (out !== 'fallthrough') return out;
    }
    return 'fallthrough';
  }

  /** Statements left to right: a failed match ends the rule; a verdict ends the chain. */
  private runRule(stmts: Statement[], st: PacketState, res: TraceResult, depth: number, matched: () => void): Outcome {
    let noted = false;
    const note = () => { if (!noted) { noted = true; matched(); } };
    const verdict = (v: VerdictText): Outcome => {
      note();
      if (v.verdict === 'jump') {
        const out = this.runChain(v.target, st, res, depth + 1);
        return out === 'return' || out === 'fallthrough' ? 'fallthrough' : out;
      }
      if (v.verdict === 'goto') {
        const out = this.runChain(v.target, st, res, depth + 1);
        return out === 'fallthrough' ? 'return' : out;
      }
      return v.verdict;
    };
    for (const s of stmts) {
      switch (s.kind) {
        case 'counter': break;
        case 'match': if (!this.match(s.key, s.op, s.rhs, st)) return 'fallthrough'; break;
        case 'mask': {
          const v = this.keyParts(s.key, st);
          if (v === undefined || ((Number(v[0]) & s.mask) === s.value) !== (s.op === '==')) return 'fallthrough';
          break;
        }
        case 'vmap': {
          const key = this.keyParts(s.key, st);
          if (key === undefined) return 'fallthrough';
          let target: VerdictText | undefined;
          if ('entries' in s.map) target = s.map.entries.find(([k]) => norm(k) === key.join(' . '))?.[1];
          else {
            const v = this.lookup(s.map.name, key);
            if (v !== undefined) target = parseVerdict(v);
          }
          if (!target) return 'fallthrough';
          const out = verdict(target);
          if (out !== 'fallthrough') return out;
          break;
        }
        case 'verdict': {
          const out = verdict(s.v);
          if (out !== 'fallthrough') return out;
          break;
        }
        case 'reject':
          note();
          res.rejectWith = s.with;
          return 'reject';
        case 'dnat': {
          let addr = s.addr, port = s.port;
          if (s.map) {
            const key = this.keyParts(s.key!, st);
            const v = key === undefined ? undefined : this.lookup(s.map, key);
            if (v === undefined) return 'fallthrough'; // a failed map lookup ends the rule
            [addr, port] = v.split(' . ').map((x, i) => (i === 0 ? x : Number(x))) as [string, number];
          }
          note();
          st.daddr = addr!;
          if (port !== undefined) st.dport = port;
          st.dnatDone = true;
          return 'accept';
        }
        case 'masquerade':
          note();
          res.masquerade = true;
          return 'accept';
        case 'mark-set':
          st.mark = (s.op === '=' ? s.value : s.op === '|' ? st.mark | s.value : s.op === '^' ? st.mark ^ s.value : st.mark & s.value) >>> 0;
          break;
        case 'update': {
          const key = this.keyParts(s.key, st);
          if (key === undefined) return 'fallthrough';
          if (!this.elements.has(s.set)) throw new TraceError(`update of unknown set "${s.set}"`);
          let d = this.dynamic.get(s.set);
          if (!d) this.dynamic.set(s.set, (d = new Set()));
          d.add(key.join(' . '));
          break;
        }
      }
    }
    note();
    return 'fallthrough';
  }

  // ---- expressions ----------------------------------------------------------------------------

  /** The key's parts as element text, or undefined when the packet lacks a field (icmp has no port). */
  private keyParts(key: Expr[], st: PacketState): string[] | undefined {
    const parts: string[] = [];
    for (const e of key) {
      if (e.kind === 'numgen') {
        parts.push(String(Math.floor(st.random() * 2 ** 32) % e.mod));
        continue;
      }
      const v = this.field(e.field, st);
      if (v === undefined) return undefined;
      parts.push(v);
    }
    return parts;
  }

  private field(f: Field, st: PacketState): string | undefined {
    switch (f) {
      case 'ip saddr': return st.saddr;
      case 'ip daddr': return st.daddr;
      case 'meta l4proto': return st.proto;
      case 'meta mark': return String(st.mark);
      case 'th dport': return st.proto === 'icmp' || st.dport === undefined ? undefined : String(st.dport);
      case 'th sport': return st.proto === 'icmp' || st.sport === undefined ? undefined : String(st.sport);
      case 'ct state': return st.ctState;
      case 'ct status': return st.dnatDone ? 'dnat' : '';
      case 'fib saddr type': return this.isLocal(st.saddr, st) ? 'local' : 'unicast';
      case 'fib daddr type': return this.isLocal(st.daddr, st) ? 'local' : 'unicast';
      case 'iifname': return st.iifname;
      case 'fib daddr . iif oif': {
        // The interface the destination is routed through, if it is the one the packet came in on.
        const out = st.localPods.has(st.daddr) ? `pod:${st.daddr}` : 'eth0';
        return out === st.iif ? out : '0';
      }
    }
  }

  private match(key: Expr[], op: '==' | '!=', rhs: Rhs, st: PacketState): boolean {
    const parts = this.keyParts(key, st);
    if (parts === undefined) return false;
    let hit: boolean;
    if (rhs.kind === 'set') hit = this.lookup(rhs.name, parts) !== undefined;
    else if (rhs.kind === 'anon') hit = rhs.values.some((v) => elementMatches(norm(v).split(' . '), parts));
    else hit = elementMatches([rhs.value], parts);
    return hit === (op === '==');
  }

  /** Element value ('' for sets) for a key, or undefined. Exact text first, then prefixes and ranges. */
  private lookup(name: string, parts: string[]): string | undefined {
    const els = this.elements.get(name);
    if (!els) throw new TraceError(`lookup in unknown set or map "${name}"`);
    const text = parts.join(' . ');
    if (els.has(text)) return els.get(text);
    if (this.dynamic.get(name)?.has(text)) return '';
    for (const [k, v] of els) if ((k.includes('/') || k.includes('-')) && elementMatches(k.split(' . '), parts)) return v;
    return undefined;
  }

  private isLocal(addr: string, st: PacketState): boolean {
    return st.local.has(addr) || addr.startsWith('127.');
  }
}

/** One-shot trace (fresh dynamic sets). */
export function tracePacket(table: Table, packet: TracePacket): TraceResult {
  return new PacketTracer(table).trace(packet);
}

// ---- element matching -----------------------------------------------------------------------

function norm(s: string): string {
  // Concatenation dots stand between spaces; dots inside addresses do not.
  return s.trim().split(/\s+\.\s+/).join(' . ');
}

function parseVerdict(v: string): VerdictText {
  const t = v.trim().split(/\s+/);
  if (t.length === 1 && (t[0] === 'accept' || t[0] === 'drop' || t[0] === 'return')) return { verdict: t[0] };
  if (t.length === 2 && (t[0] === 'jump' || t[0] === 'goto')) return { verdict: t[0], target: t[1] };
  throw new TraceError(`map value "${v}" is not a verdict`);
}

function elementMatches(el: string[], parts: string[]): boolean {
  if (el.length !== parts.length) return false;
  return el.every((e, i) => partMatches(e, parts[i]));
}

function partMatches(el: string, v: string): boolean {
  if (el === v) return true;
  // nft's interface name wildcard: a trailing `*` matches any rest.
  if (el.endsWith('*') && !el.includes('.')) return v.startsWith(el.slice(0, -1));
  const ip = ipNum(v);
  const prefix = el.match(/^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/);
  if (prefix && ip !== undefined) {
    const len = Number(prefix[2]);
    const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
    return ((ip & mask) >>> 0) === ((ipNum(prefix[1])! & mask) >>> 0);
  }
  const range = el.match(/^(\d+)-(\d+)$/);
  if (range && /^\d+$/.test(v)) return Number(v) >= Number(range[1]) && Number(v) <= Number(range[2]);
  // Interval sets list a block that is not a prefix as an address range.
  const ipRange = el.match(/^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/);
  if (ipRange && ip !== undefined) return ip >= ipNum(ipRange[1])! && ip <= ipNum(ipRange[2])!;
  // Numbers may be written in hex (marks) on one side only.
  if (/^(0x[0-9a-f]+|\d+)$/i.test(el) && /^\d+$/.test(v)) return Number(el) === Number(v);
  return false;
}

function ipNum(s: string): number | undefined {
  const m = s.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  return m ? ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]) : undefined;
}
