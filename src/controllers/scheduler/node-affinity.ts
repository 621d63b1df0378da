// NodeAffinity filter (upstream: pkg/scheduler/framework/plugins/nodeaffinity and
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity). A node must carry every label of
// spec.nodeSelector AND match at least one term of
// affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.
// Within a term, matchExpressions (labels) and matchFields (metadata.name) are ANDed; an
// empty term matches nothing. Malformed requirements (Gt on a non-integer, an unknown
// operator or field) make their term fail, as upstream ignores the parse error and treats
// the term as not matching.

export const ERR_REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
/** Upstream's PreFilter message when every term pins metadata.name and the sets don't meet. */
export const ERR_REASON_AFFINITY_CONFLICT = 'pod affinity terms conflict';

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

interface Term {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

function requiredTerms(pod: any): Term[] | undefined {
  const req = pod?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!req) return undefined;
  return Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms : [];
}

const INT = /^[+-]?\d+$/;

function matchLabelRequirement(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v);
    case 'NotIn':
      return !has || !values.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1 || !INT.test(v) || !INT.test(values[0])) return false;
      const [a, b] = [BigInt(v), BigInt(values[0])];
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

function matchFieldRequirement(r: Requirement, nodeName: string): boolean {
  if (r.key !== 'metadata.name') return false;
  const values = r.values ?? [];
  if (r.operator === 'In') return values.includes(nodeName);
  if (r.operator === 'NotIn') return !values.includes(nodeName);
  return false;
}

function matchTerm(t: Term, node: any): boolean {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node?.metadata?.labels ?? {};
  const name = node?.metadata?.name ?? '';
  return exprs.every((r) => matchLabelRequirement(r, labels)) && fields.every((r) => matchFieldRequirement(r, name));
}

/** True when `node` satisfies the pod's nodeSelector and required node affinity. */
export function matchesNodeAffinity(pod: any, node: any): boolean {
  const selector: Record<string, string> = pod?.spec?.nodeSelector ?? {};
  const labels = node?.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(selector)) {
    if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  }
  const terms = requiredTerms(pod);
  if (terms === undefined) return true;
  return terms.some((t) => matchTerm(t, node));
}

/**
 * The PreFilter narrowing: when every term names nodes with `metadata.name In [...]`, only
 * those names can match. Returns undefined when all nodes stay candidates, or the set of
 * names (possibly empty, which upstream reports as a conflict).
 */
export function affinityNodeNames(pod: any): Set<string> | undefined {
  const terms = requiredTerms(pod);
  if (!terms || terms.length === 0) return undefined;
  let union: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined; // a term without a name pin keeps every node eligible
    union = new Set([...(union ?? []), ...termNames]);
  }
  return union;
}
