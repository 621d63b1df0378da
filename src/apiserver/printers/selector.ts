// Label selectors and label sets rendered the way apimachinery's Selector.String() and
// labels.FormatLabels render them, for the Selector and Pod-Selector columns.

export interface LabelSelectorRequirement { key: string; operator: string; values?: string[] }
export interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] }

/** `a=1,b=2` with keys sorted, or `<none>` for an empty or missing map (labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const s = labelSetString(labels);
  return s === '' ? '<none>' : s;
}

function labelSetString(labels: Record<string, string> | undefined | null): string {
  if (!labels) return '';
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

/**
 * The selector's string form (LabelSelectorAsSelector(...).String()): requirements sorted by
 * key, `key=value` for matchLabels, `key in (a,b)`, `key notin (a,b)`, `key`, `!key`, with the
 * values of a set requirement sorted. '' for a missing or empty selector; undefined when the
 * selector cannot be converted (unknown operator, wrong value count).
 */
export function selectorString(sel: LabelSelector | undefined | null): string | undefined {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = e.values ?? [];
    const set = `(${[...values].sort().join(',')})`;
    switch (e.operator) {
      case 'In':
        if (values.length === 0) return undefined;
        reqs.push({ key: e.key, text: `${e.key} in ${set}` });
        break;
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key: e.key, text: `${e.key} notin ${set}` });
        break;
      case 'Exists':
        if (values.length !== 0) return undefined;
        reqs.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        if (values.length !== 0) return undefined;
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        return undefined;
    }
  }
  // Array.prototype.sort is stable, so equal keys keep matchLabels-then-expressions order.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}
