// Hints for spec.trafficDistribution, as upstream's trafficdist package (k8s.io/endpointslice,
// v1.33): with PreferClose (and its successors PreferSameZone / PreferSameNode) every ready
// endpoint carries a hint for its own zone (and node, for PreferSameNode); without it, no
// endpoint carries hints. Slices the reconciler left alone are rewritten only when a hint is
// missing, wrong or stale, so a Service that turns the field on or off is updated too.

const CLOSE = new Set(['PreferClose', 'PreferSameZone', 'PreferSameNode']);

interface Hints {
  forZones?: { name: string }[];
  forNodes?: { name: string }[];
}

const isReady = (ep: any) => ep?.conditions?.ready === true;

function wantedHints(ep: any, mode: string | undefined): Hints | undefined {
  if (!mode || !CLOSE.has(mode) || !isReady(ep)) return undefined;
  const hints: Hints = {};
  if (typeof ep.zone === 'string' && ep.zone !== '') hints.forZones = [{ name: ep.zone }];
  if (mode === 'PreferSameNode' && typeof ep.nodeName === 'string' && ep.nodeName !== '') hints.forNodes = [{ name: ep.nodeName }];
  return hints.forZones || hints.forNodes ? hints : undefined;
}

function sameHints(a: Hints | undefined, b: Hints | undefined): boolean {
  const names = (xs: { name: string }[] | undefined) => (xs ?? []).map((x) => x.name).join(',');
  return names(a?.forZones) === names(b?.forZones) && names(a?.forNodes) === names(b?.forNodes);
}

/** Some endpoint of the slice has a hint it should not have, or lacks one it should. */
export function sliceNeedsHints(slice: any, mode: string | undefined): boolean {
  return (slice?.endpoints ?? []).some((ep: any) => {
    // Upstream leaves a not-ready endpoint's hints alone under PreferClose.
    if (mode && CLOSE.has(mode) && !isReady(ep)) return false;
    return !sameHints(ep.hints, wantedHints(ep, mode));
  });
}

/** The slice with every endpoint's hints as `mode` wants them (a copy; the input is not changed). */
export function withHints(slice: any, mode: string | undefined): any {
  return {
    ...slice,
    // Its own metadata too: the caller sets annotations, and `slice` may be a cached object.
    metadata: { ...slice.metadata },
    endpoints: (slice.endpoints ?? []).map((ep: any) => {
      if (mode && CLOSE.has(mode) && !isReady(ep)) return ep;
      const { hints: _old, ...rest } = ep;
      const hints = wantedHints(ep, mode);
      return hints ? { ...rest, hints } : rest;
    }),
  };
}
