// The shape every printer shares: column definitions (name, type and format as
// kube-apiserver 1.33 declares them; descriptions are knet's own) and a cells function.
// kube-apiserver always generates the wide (priority 1) columns; kubectl hides them unless
// `-o wide`, so every printer here returns all of its cells.

import { since } from './duration.ts';

export interface ColumnDefinition { name: string; type: string; format: string; description: string; priority: number }

export interface TablePrinter {
  columns: ColumnDefinition[];
  /** cells for one object; `now` in ms */
  cells(obj: any, now: number): unknown[];
  /** Row conditions (metav1.TableRowCondition), where upstream sets them (finished pods). */
  conditions?(obj: any): object[] | undefined;
}

/** A column of type string, or the given type, shown by default unless `wide`. */
export function col(name: string, description: string, opts: { type?: string; format?: string; wide?: boolean } = {}): ColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.wide ? 1 : 0 };
}

export const nameColumn = col('Name', 'Name of the object, unique within its namespace.', { format: 'name' });
export const ageColumn = col('Age', 'Time since the object was created.');

export function nameOf(obj: any): string {
  return obj?.metadata?.name ?? '';
}

export function ageOf(obj: any, now: number): string {
  return since(obj?.metadata?.creationTimestamp, now);
}

/** Joins container names and images the way the Containers / Images columns show them. */
export function containerCells(containers: any[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** First `max` items comma-joined, then ` + N more...` counting every item past `max`. */
export function listWithMore(list: string[], total: number, max: number, empty: string): string {
  const shown = list.slice(0, max).join(',');
  if (total > max) return `${shown} + ${total - max} more...`;
  return shown === '' ? empty : shown;
}

/** Load-balancer ingress points: IP, else hostname; de-duplicated and sorted like a Go string set. */
export function loadBalancerAddresses(ingress: any[] | undefined): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i?.ip) set.add(i.ip);
    else if (i?.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}
