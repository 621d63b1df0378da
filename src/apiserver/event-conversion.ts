// core/v1 Event <-> events.k8s.io/v1 Event. Upstream stores one Event and serves it in both
// groups; knet does the same: events are stored in the core/v1 shape and converted when read
// or written through events.k8s.io/v1 (field mapping as k8s.io/api events/v1 documents it).

const renames: [core: string, events: string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

const shared = ['metadata', 'eventTime', 'series', 'reportingInstance', 'action', 'reason', 'related', 'type'];

function move(from: any, to: any, pairs: [string, string][]): any {
  for (const k of shared) if (from[k] !== undefined) to[k] = from[k];
  for (const [a, b] of pairs) if (from[a] !== undefined) to[b] = from[a];
  return to;
}

export function coreToEventsV1(core: any): any {
  return move(core, { apiVersion: 'events.k8s.io/v1', kind: 'Event' }, renames);
}

export function eventsV1ToCore(ev: any): any {
  return move(ev, { apiVersion: 'v1', kind: 'Event' }, renames.map(([a, b]) => [b, a]));
}
