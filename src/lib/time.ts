// metav1.Time's wire form: RFC 3339 at second precision (`2026-11-22T14:31:44Z`), as every
// timestamp field of the Kubernetes API carries it.

export function rfc3339(at: Date | number = Date.now()): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
