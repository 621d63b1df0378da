// The pod-template-hash: upstream's ComputeHash (pkg/controller/controller_utils.go, v1.33)
// writes the template with Go's deep printer into FNV-32a, appends collisionCount as 8
// little-endian bytes, and renders the decimal sum through rand.SafeEncodeString. We feed FNV
// a canonical JSON form instead (Go's printer cannot be reproduced), so values differ from a
// real cluster's but have the same shape: up to 10 characters of "bcdfghjklmnpqrstvwxz2456789"
// (digits map to 4 5 6 7 8 9 b c d f), stable for equal templates, different for any change.

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * JSON with object keys sorted and empty members dropped (null, {}, []): semantically equal
 * values, equal text. Go's typed objects make no difference between an absent field and its
 * zero value (`resources: {}`, `creationTimestamp: null` in a template kubectl sends back on
 * `rollout undo`), and apiequality.Semantic.DeepEqual treats empty and nil slices alike.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const k of Object.keys(v as object).sort()) {
      const text = canonicalJson((v as any)[k]);
      if (text !== 'null' && text !== '{}' && text !== '[]') parts.push(`${JSON.stringify(k)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** k8s.io/apimachinery rand.SafeEncodeString: each byte picks a letter modulo the alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}

export function podTemplateHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}

/** A template as compared by EqualIgnoreHash: no pod-template-hash label, empty maps as absent. */
function withoutHash(template: any): any {
  const t = structuredClone(template ?? {});
  t.metadata ??= {};
  if (t.metadata.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (!Object.keys(t.metadata.labels).length) delete t.metadata.labels;
  }
  if (t.metadata.annotations && !Object.keys(t.metadata.annotations).length) delete t.metadata.annotations;
  if (!Object.keys(t.metadata).length) delete t.metadata;
  return t;
}

/** deploymentutil.EqualIgnoreHash: the same template once the hash label is set aside. */
export function templatesEqualIgnoringHash(a: unknown, b: unknown): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}
