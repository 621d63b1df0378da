// The status conditions a Terminating namespace carries while content remains, with
// upstream's types and reasons (pkg/controller/namespace/deletion), so `kubectl describe
// namespace` says what the deletion waits for.

import { rfc3339 } from '../../lib/time.ts';

export function namespaceConditions(current: any[], remaining: Map<string, number>, withFinalizers: Map<string, string[]>, now: Date): any[] {
  const stamp = rfc3339(now);
  const content = [...remaining].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} has ${n} resource instances`).join(', ');
  const fin = [...withFinalizers].sort(([a], [b]) => a.localeCompare(b))
    .map(([f, kinds]) => `${f} in ${kinds.length} resource instances`).join(', ');
  const want: Record<string, { status: string; reason: string; message: string }> = {
    NamespaceDeletionDiscoveryFailure: { status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    NamespaceDeletionGroupVersionParsingFailure: { status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    NamespaceDeletionContentFailure: { status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    NamespaceContentRemaining: content
      ? { status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${content}` }
      : { status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    NamespaceFinalizersRemaining: fin
      ? { status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${fin}` }
      : { status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  };
  return Object.entries(want).map(([type, c]) => {
    const prev = current.find((x) => x.type === type);
    const same = prev && prev.status === c.status;
    return { type, ...c, lastTransitionTime: same ? prev.lastTransitionTime : stamp };
  });
}
