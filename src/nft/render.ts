// Full rendering: one `nft -f` script that replaces the whole table in one transaction.
//
// The replace idiom is `table <t> {}` + `delete table <t>` + the full definition. The empty
// `table` (an `add`) makes the delete valid when the table does not exist yet (a delete of a
// missing table fails the whole transaction, and `destroy table` needs nft 1.0.8 / kernel 6.3);
// the delete drops everything in it, including chains, sets and elements knet no longer
// knows about. `flush table` would not do: it only empties the chains, leaving stale chains,
// sets, elements and old base-chain hooks and priorities in place. The kernel commits the
// transaction as a whole, so packets see the old table or the new one, never a gap.
// The cost: dynamic set contents (affinity entries) and counters start over on a full apply.

import { KnetError } from '../lib/errors.ts';
import type { Chain, NftMap, NftSet, Table } from './model.ts';
import {
  chainSpecBody, checkElement, checkName, elementLines, quoteComment, ruleLine, setSpecBody, tableRef,
} from './syntax.ts';

/** A set or map checked and keyed by element, as both renderers compare them. */
export interface IndexedSet {
  kind: 'set' | 'map';
  /** The declaration body; a change here means the set must be re-created. */
  spec: string;
  constant: boolean;
  /** set: element -> '' ; map: key -> value. Insertion order is the model's order. */
  elements: Map<string, string>;
}

export interface IndexedTable {
  table: Table;
  chains: Map<string, Chain>;
  /** Sets and maps share one namespace in nftables. */
  sets: Map<string, IndexedSet>;
}

/** Validates the model (names, duplicates, rule and element text) and indexes it. */
export function indexTable(t: Table): IndexedTable {
  checkName('table', t.name);
  const chains = new Map<string, Chain>();
  for (const c of t.chains) {
    checkName('chain', c.name);
    if (chains.has(c.name)) throw new KnetError('nft-bad-model', `chain "${c.name}" is defined twice in table ${t.name}`);
    chains.set(c.name, c);
  }
  const sets = new Map<string, IndexedSet>();
  const addSet = (s: NftSet | NftMap, kind: 'set' | 'map', entries: [string, string][]): void => {
    checkName(kind, s.name);
    if (sets.has(s.name)) throw new KnetError('nft-bad-model', `set or map "${s.name}" is defined twice in table ${t.name}`);
    const elements = new Map<string, string>();
    for (const [k, v] of entries) {
      const key = checkElement(s.name, k);
      const value = kind === 'map' ? checkElement(s.name, v) : '';
      const had = elements.get(key);
      if (had !== undefined && had !== value) throw new KnetError('nft-bad-model', `map "${s.name}" has key "${key}" twice with different values`);
      elements.set(key, value);
    }
    sets.set(s.name, { kind, spec: setSpecBody(s, kind), constant: Boolean(s.flags?.includes('constant')), elements });
  };
  for (const s of t.sets) addSet(s, 'set', s.elements.map((e) => [e, '']));
  for (const m of t.maps) addSet(m, 'map', m.elements);
  return { table: t, chains, sets };
}

export function elementItems(s: IndexedSet, keys?: Iterable<string>): string[] {
  const out: string[] = [];
  for (const k of keys ?? s.elements.keys()) out.push(s.kind === 'map' ? `${k} : ${s.elements.get(k)}` : k);
  return out;
}

/** The whole table as one atomic replace script (see the header for the idiom). */
export function renderTable(table: Table): string {
  const ix = indexTable(table);
  const ref = tableRef(table);
  const lines: string[] = [
    `# knet: replace table ${ref}`,
    `table ${ref} {}`,
    `delete table ${ref}`,
    `table ${ref} {`,
  ];
  if (table.comment) lines.push(`  comment ${quoteComment(table.comment)};`);
  // Declarations first, contents after: map elements may name chains (`goto svc-x`) and
  // rules may name sets, so everything exists before anything refers to it.
  for (const [name, s] of ix.sets) lines.push(`  ${s.kind} ${name} { ${s.spec} }`);
  for (const c of table.chains) lines.push(`  chain ${c.name} {${chainSpecBody(c) ? ` ${chainSpecBody(c)} ` : ''}}`);
  lines.push('}');
  for (const [name, s] of ix.sets) lines.push(...elementLines('add', table, name, elementItems(s)));
  for (const c of table.chains) for (const r of c.rules) lines.push(ruleLine(table, c.name, r));
  return lines.join('\n') + '\n';
}

/** Deletes the table; valid whether or not it exists (same add-then-delete idiom). */
export function renderRemove(t: Pick<Table, 'family' | 'name'>): string {
  const ref = tableRef(t);
  return `table ${ref} {}\ndelete table ${ref}\n`;
}
