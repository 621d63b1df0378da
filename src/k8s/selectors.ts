// Label and field selectors, as k8s.io/apimachinery parses and matches them.
// Label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`; a comma
// is AND. Field selectors: `f=v`, `f==v`, `f!=v`, comma is AND; which fields exist is up to the
// resource (the API server checks them against its per-resource list).

import { ApiError } from '../lib/errors.ts';

export type Operator = 'in' | 'notin' | 'exists' | '!exists' | '=' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type LabelSelector = Requirement[];

function bad(sel: string, why: string): ApiError {
  return new ApiError('BadRequest', `unable to parse requirement: ${why} (in label selector "${sel}")`);
}

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseLabelSelector(sel: string): LabelSelector {
  const s = sel.trim();
  if (!s) return [];
  const reqs: Requirement[] = [];
  for (const rawPart of splitTop(s)) {
    const part = rawPart.trim();
    if (!part) throw bad(sel, 'found \'\', expected: identifier');
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3].split(',').map((v) => v.trim());
      if (values.length === 1 && values[0] === '') throw bad(sel, 'for \'in\', \'notin\' operators, values set can\'t be empty');
      reqs.push({ key: m[1], op: m[2] as Operator, values });
    } else if ((m = part.match(/^([^\s!=()<>]+)\s*(==|=|!=)\s*([^\s,()=!]*)$/))) {
      reqs.push({ key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] });
    } else if ((m = part.match(/^([^\s!=()<>]+)\s*(<|>)\s*(-?\d+)$/))) {
      reqs.push({ key: m[1], op: m[2] === '>' ? 'gt' : 'lt', values: [m[3]] });
    } else if ((m = part.match(/^!\s*([^\s!=()<>]+)$/))) {
      reqs.push({ key: m[1], op: '!exists', values: [] });
    } else if ((m = part.match(/^([^\s!=()<>]+)$/))) {
      reqs.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw bad(sel, `invalid requirement "${part}"`);
    }
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=': if (!has || v !== r.values[0]) return false; break;
      case '!=': if (has && v === r.values[0]) return false; break;
      case 'in': if (!has || !r.values.includes(v)) return false; break;
      case 'notin': if (has && r.values.includes(v)) return false; break;
      case 'exists': if (!has) return false; break;
      case '!exists': if (has) return false; break;
      case 'gt': if (!has || !(Number(v) > Number(r.values[0]))) return false; break;
      case 'lt': if (!has || !(Number(v) < Number(r.values[0]))) return false; break;
    }
  }
  return true;
}

/** metav1.LabelSelector (matchLabels + matchExpressions) as requirements. `{}` matches everything. */
export function fromLabelSelector(s: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined | null): LabelSelector {
  if (!s) return [];
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of s.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' } as Record<string, Operator>)[e.operator];
    if (!op) throw new ApiError('BadRequest', `"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

/** A Service-style `map[string]string` selector. */
export function fromMap(m: Record<string, string> | undefined): LabelSelector {
  return Object.entries(m ?? {}).map(([key, v]) => ({ key, op: '=' as const, values: [v] }));
}

export function labelSelectorString(sel: LabelSelector): string {
  return sel.map((r) => {
    switch (r.op) {
      case '=': return `${r.key}=${r.values[0]}`;
      case '!=': return `${r.key}!=${r.values[0]}`;
      case 'in': return `${r.key} in (${[...r.values].sort().join(',')})`;
      case 'notin': return `${r.key} notin (${[...r.values].sort().join(',')})`;
      case 'exists': return r.key;
      case '!exists': return `!${r.key}`;
      case 'gt': return `${r.key}>${r.values[0]}`;
      case 'lt': return `${r.key}<${r.values[0]}`;
    }
  }).join(',');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(sel: string): FieldRequirement[] {
  const s = sel.trim();
  if (!s) return [];
  return s.split(',').map((part) => {
    const m = part.trim().match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new ApiError('BadRequest', `invalid selector: '${sel}'; can't understand '${part}'`);
    return { field: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] };
  });
}

/** Whether the given field values (from the resource's field getter) satisfy the selector. */
export function matchesFields(sel: FieldRequirement[], fields: Record<string, string>): boolean {
  return sel.every((r) => (r.op === '=' ? fields[r.field] === r.value : fields[r.field] !== r.value));
}
