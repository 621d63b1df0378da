// Ages as kubectl shows them. kube-apiserver renders every time cell itself (the client prints
// cells verbatim), using apimachinery's duration.HumanDuration: precise at small scales, coarser
// as the age grows, so a column stays narrow.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's duration.HumanDuration for a duration in milliseconds: 45s, 5m30s, 3h10m, 2d4h, 1y30d. */
export function humanDuration(ms: number): string {
  // Go truncates toward zero; up to one second in the future counts as now (clock skew).
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined for a missing/zero time. */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  // Go's zero time (0001-01-01T00:00:00Z) is how an unset metav1.Time reads back.
  if (Number.isNaN(t) || t <= ZERO_TIME) return undefined;
  return t;
}

const ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/** translateTimestampSince: the age of a timestamp, `<unknown>` when it is unset. */
export function since(ts: unknown, now: number): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}
