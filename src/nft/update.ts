// Incremental rendering: the transaction that turns the table last applied (prev) into next,
// with a cost proportional to what changed. Elements are diffed one by one (a map value that
// changed is a delete and an add of its key); chains whose rules changed are flushed and
// refilled; new sets, maps and chains are created, vanished ones deleted.
//
// Statement order inside the one transaction (each step only refers to what earlier steps
// left in place):
//   1. declare new sets/maps and new chains (rules and map elements may refer to them);
//   2. flush changed chains and chains about to be deleted (drops their references);
//   3. delete stale elements (drops map -> chain references such as `goto svc-x`);
//   4. add new elements, then the rules of new and changed chains;
//   5. delete vanished sets/maps, then vanished chains.
// kube-proxy flushes stale chains and deletes them a second later because kernels before 6.2
// noticed a dropped map -> chain reference only after the transaction. Kernel 6.18 does not
// need that: deleting the map element and the chain in one transaction succeeds (tested in
// apply.test.ts), so knet deletes in the same transaction.
//
// Changes a transaction cannot express as a diff fall back to the full replace script:
// another table, a changed table comment, a set/map whose declaration changed (type, flags,
// timeout, comment, or set vs map), a constant set whose elements changed, and a chain whose
// hook, priority, policy, comment or base/regular kind changed. Those are rare (they follow
// a change of knet's ruleset layout, not of Services).

import { KnetError } from '../lib/errors.ts';
import type { ElementChanges, Rule, Table } from './model.ts';
import { elementItems, indexTable, renderTable } from './render.ts';
import type { IndexedSet, IndexedTable } from './render.ts';
import { checkElement, chainSpecBody, elementLines, ruleLine, tableRef } from './syntax.ts';

export interface UpdatePlan {
  mode: 'full' | 'incremental';
  /** The nft script; '' when nothing changed. */
  script: string;
  /** Why the plan is full (for logs), when it is. */
  reason?: string;
}

/** The incremental script from prev to next, or the full replace when a diff cannot express it. */
export function renderUpdate(prev: Table, next: Table): string {
  return planUpdate(prev, next).script;
}

export function planUpdate(prev: Table, next: Table): UpdatePlan {
  return planUpdateIndexed(indexTable(prev), indexTable(next));
}

/**
 * The same from tables already indexed: an applier keeps the index of what it applied last,
 * so each update indexes only the new table (the index is most of the cost at 100k elements).
 *
 * With `changes`, `a` and `b` are skeletons (tables whose sets and maps are declared but
 * empty) and the element changes are given rather than found by comparing every element:
 * the cost is then that of the changes alone. A plan that comes out `full` then carries the
 * skeleton's script, which the caller replaces with the whole table's.
 */
export function planUpdateIndexed(a: IndexedTable, b: IndexedTable, changes?: ElementChanges): UpdatePlan {
  const prev = a.table;
  const next = b.table;
  const full = (reason: string): UpdatePlan => ({ mode: 'full', script: renderTable(next), reason });
  if (prev.family !== next.family || prev.name !== next.name) return full('another table');
  if ((prev.comment ?? '') !== (next.comment ?? '')) return full('table comment changed');
  for (const [name, s] of b.sets) {
    const old = a.sets.get(name);
    if (!old) continue;
    if (old.kind !== s.kind || old.spec !== s.spec) return full(`${s.kind} ${name} declaration changed`);
    if (s.constant && !sameElements(old, s)) return full(`constant set ${name} changed`);
  }
  for (const [name, c] of b.chains) {
    const old = a.chains.get(name);
    if (old && (Boolean(old.base) !== Boolean(c.base) || chainSpecBody(old) !== chainSpecBody(c))) return full(`chain ${name} declaration changed`);
  }

  const ref = tableRef(next);
  const declare: string[] = [];
  const flush: string[] = [];
  const delElements: string[] = [];
  const addElements: string[] = [];
  const addRules: string[] = [];
  const dropSets: string[] = [];
  const dropChains: string[] = [];

  for (const [name, s] of b.sets) {
    const old = a.sets.get(name);
    const given = changes?.get(name);
    if (given) {
      if (old) delElements.push(...elementLines('delete', next, name, [...given.del].map((k) => checkElement(name, k))));
      const items: string[] = [];
      for (const [k, v] of given.add) items.push(s.kind === 'map' ? `${checkElement(name, k)} : ${checkElement(name, v)}` : checkElement(name, k));
      if (!old) declare.push(`add ${s.kind} ${ref} ${name} { ${s.spec} }`);
      addElements.push(...elementLines('add', next, name, items));
      continue;
    }
    if (!old) {
      declare.push(`add ${s.kind} ${ref} ${name} { ${s.spec} }`);
      addElements.push(...elementLines('add', next, name, elementItems(s)));
      continue;
    }
    if (changes) continue;
    const gone: string[] = [];
    const added: string[] = [];
    for (const [k, v] of old.elements) if (s.elements.get(k) !== v) gone.push(k);
    for (const [k, v] of s.elements) if (old.elements.get(k) !== v) added.push(k);
    // A map deletion names the key only.
    delElements.push(...elementLines('delete', next, name, gone));
    addElements.push(...elementLines('add', next, name, elementItems(s, added)));
  }
  for (const [name, s] of a.sets) if (!b.sets.has(name)) dropSets.push(`delete ${s.kind} ${ref} ${name}`);
  for (const [name, c] of changes ?? []) {
    if (!b.sets.has(name) && c.add.size > 0) throw new KnetError('nft-bad-model', `elements added to "${name}", which table ${ref} does not declare`);
  }

  for (const c of next.chains) {
    const old = a.chains.get(c.name);
    if (!old) {
      const body = chainSpecBody(c);
      declare.push(`add chain ${ref} ${c.name}${body ? ` { ${body} }` : ''}`);
    } else if (sameRules(old.rules, c.rules)) {
      continue;
    } else {
      flush.push(`flush chain ${ref} ${c.name}`);
    }
    for (const r of c.rules) addRules.push(ruleLine(next, c.name, r));
  }
  for (const c of prev.chains) {
    if (b.chains.has(c.name)) continue;
    flush.push(`flush chain ${ref} ${c.name}`);
    dropChains.push(`delete chain ${ref} ${c.name}`);
  }

  const body = [...declare, ...flush, ...delElements, ...addElements, ...addRules, ...dropSets, ...dropChains];
  if (body.length === 0) return { mode: 'incremental', script: '' };
  return { mode: 'incremental', script: [`# knet: update table ${ref}`, ...body].join('\n') + '\n' };
}

function sameRules(a: Rule[], b: Rule[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].text.trim() !== b[i].text.trim() || (a[i].comment ?? '') !== (b[i].comment ?? '')) return false;
  }
  return true;
}

function sameElements(a: IndexedSet, b: IndexedSet): boolean {
  if (a.elements.size !== b.elements.size) return false;
  for (const [k, v] of a.elements) if (b.elements.get(k) !== v) return false;
  return true;
}
