// RollingUpdate arithmetic from deploymentutil (pkg/controller/deployment/util, v1.33):
// maxSurge and maxUnavailable are ints or percentages of spec.replicas; surge rounds up,
// unavailable rounds down, and when both come to 0 unavailable becomes 1 so a rollout can move.

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
const MAX_INT32 = 2147483647;

export function replicasOf(obj: any): number {
  const r = obj?.spec?.replicas;
  return typeof r === 'number' ? r : 1;
}

export function isRollingUpdate(d: any): boolean {
  return (d?.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** intstr.GetScaledValueFromIntOrPercent. Throws on a malformed percentage. */
export function scaledValue(v: number | string | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) {
    if (/^-?\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or a percentage`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** ResolveFenceposts: [surge, unavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

function rollingParams(d: any): [number | string, number | string] {
  const ru = d?.spec?.strategy?.rollingUpdate ?? {};
  return [ru.maxSurge ?? '25%', ru.maxUnavailable ?? '25%'];
}

export function maxSurge(d: any): number {
  if (!isRollingUpdate(d)) return 0;
  const [s, u] = rollingParams(d);
  return resolveFenceposts(s, u, replicasOf(d))[0];
}

export function maxUnavailable(d: any): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const [s, u] = rollingParams(d);
  return Math.min(resolveFenceposts(s, u, desired)[1], desired);
}

/** Old ReplicaSets to keep, or undefined for no limit (MaxInt32). */
export function revisionHistoryLimit(d: any): number | undefined {
  const v = d?.spec?.revisionHistoryLimit;
  if (v === MAX_INT32) return undefined;
  return typeof v === 'number' ? v : DEFAULT_REVISION_HISTORY_LIMIT;
}

/** Seconds, or undefined when the deployment has no deadline (unset by the API or MaxInt32). */
export function progressDeadlineSeconds(d: any): number | undefined {
  const v = d?.spec?.progressDeadlineSeconds;
  if (v === MAX_INT32) return undefined;
  return typeof v === 'number' ? v : DEFAULT_PROGRESS_DEADLINE_SECONDS;
}

/** Go's math.Round (half away from zero); JavaScript's Math.round rounds -2.5 to -2. */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
