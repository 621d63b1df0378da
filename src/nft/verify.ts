// Drift detection for the resync loop: compares `nft -j list table` output with the Table that
// should be loaded. It reports missing and unexpected chains, sets and maps, chains whose
// hook or number of rules differ, and elements that differ. Rules are compared by count only
// (nft prints rules in its own normal form, not as knet wrote them). Elements are compared as
// text after turning nft's JSON back into `a . b . c` form, so a model that spells an element
// differently from nft's listing (`17` for `udp`, `0x1` for `1`) shows up as drift; knet's
// compilers write elements the way nft lists them. Sets with timeouts or the dynamic flag are
// filled by the packet path, so their elements are not compared.

import type { Table } from './model.ts';
import { indexTable } from './render.ts';

export interface Drift {
  inSync: boolean;
  /** One line per difference, e.g. `set svc-3: 2 elements missing (10.96.0.10 . udp . 53, ...)`. */
  differences: string[];
}

interface Listed {
  chains: Map<string, { hook?: string; rules: number }>;
  sets: Map<string, { kind: 'set' | 'map'; elements: Map<string, string> }>;
}

export function diffListing(want: Table, listing: string): Drift {
  const got = parseListing(listing, want.name);
  const ix = indexTable(want);
  const differences: string[] = [];
  for (const c of want.chains) {
    const g = got.chains.get(c.name);
    if (!g) { differences.push(`chain ${c.name}: missing`); continue; }
    if ((c.base?.hook ?? '') !== (g.hook ?? '')) differences.push(`chain ${c.name}: hook ${g.hook ?? 'none'}, expected ${c.base?.hook ?? 'none'}`);
    if (c.rules.length !== g.rules) differences.push(`chain ${c.name}: ${g.rules} rules, expected ${c.rules.length}`);
  }
  for (const name of got.chains.keys()) if (!ix.chains.has(name)) differences.push(`chain ${name}: unexpected`);
  const dynamic = new Set([...want.sets, ...want.maps].filter((s) => s.timeout || s.flags?.some((f) => f === 'timeout' || f === 'dynamic')).map((s) => s.name));
  for (const [name, s] of ix.sets) {
    const g = got.sets.get(name);
    if (!g) { differences.push(`${s.kind} ${name}: missing`); continue; }
    if (g.kind !== s.kind) { differences.push(`${s.kind} ${name}: listed as a ${g.kind}`); continue; }
    if (dynamic.has(name)) continue;
    const missing: string[] = [];
    const extra: string[] = [];
    for (const [k, v] of s.elements) {
      const have = g.elements.get(k);
      if (have === undefined) missing.push(k);
      else if (have !== v) missing.push(`${k} : ${v} (has ${have})`);
    }
    for (const k of g.elements.keys()) if (!s.elements.has(k)) extra.push(k);
    if (missing.length) differences.push(`${s.kind} ${name}: ${missing.length} elements missing (${sample(missing)})`);
    if (extra.length) differences.push(`${s.kind} ${name}: ${extra.length} elements unexpected (${sample(extra)})`);
  }
  for (const [name, g] of got.sets) if (!ix.sets.has(name)) differences.push(`${g.kind} ${name}: unexpected`);
  return { inSync: differences.length === 0, differences };
}

function sample(xs: string[]): string {
  return xs.slice(0, 3).join(', ') + (xs.length > 3 ? ', ...' : '');
}

type Json = Record<string, unknown>;

function parseListing(listing: string, table: string): Listed {
  const doc = JSON.parse(listing) as { nftables?: Json[] };
  const out: Listed = { chains: new Map(), sets: new Map() };
  for (const item of doc.nftables ?? []) {
    const chain = item.chain as Json | undefined;
    if (chain && chain.table === table) out.chains.set(String(chain.name), { hook: chain.hook as string | undefined, rules: 0 });
    const rule = item.rule as Json | undefined;
    if (rule && rule.table === table) {
      const c = out.chains.get(String(rule.chain));
      if (c) c.rules++;
    }
    for (const kind of ['set', 'map'] as const) {
      const s = item[kind] as Json | undefined;
      if (!s || s.table !== table) continue;
      const elements = new Map<string, string>();
      for (const e of (s.elem as unknown[] | undefined) ?? []) {
        if (kind === 'map' && Array.isArray(e)) elements.set(elementText(e[0]), elementText(e[1]));
        else elements.set(elementText(e), '');
      }
      out.sets.set(String(s.name), { kind, elements });
    }
  }
  return out;
}

/** nft's JSON element forms back to nft text: concat, prefix, range, verdicts, wrapped elems. */
export function elementText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.map(elementText).join(' . ');
  const o = v as Json;
  if ('concat' in o) return (o.concat as unknown[]).map(elementText).join(' . ');
  if ('elem' in o) return elementText((o.elem as Json).val);
  if ('prefix' in o) { const p = o.prefix as Json; return `${elementText(p.addr)}/${p.len}`; }
  if ('range' in o) { const r = o.range as unknown[]; return `${elementText(r[0])}-${elementText(r[1])}`; }
  for (const verdict of ['goto', 'jump'] as const) {
    if (verdict in o) return `${verdict} ${(o[verdict] as Json).target}`;
  }
  const keys = Object.keys(o);
  if (keys.length === 1 && o[keys[0]] === null) return keys[0]; // accept, drop, return, continue
  return JSON.stringify(o);
}
