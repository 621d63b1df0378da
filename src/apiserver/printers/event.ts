// Events, core/v1 and events.k8s.io/v1. kube-apiserver serves both from one internal type and
// prints both with printEvent, so an events.k8s.io object is first read back into core field
// names (regarding -> involvedObject, note -> message, deprecated* -> the old fields).

import type { TablePrinter } from './columns.ts';
import { col, nameColumn } from './columns.ts';
import { parseTime, since } from './duration.ts';

/** The core/v1 view of an events.k8s.io/v1 Event (the fields printing needs). */
export function coreEventOf(ev: any): any {
  return {
    metadata: ev.metadata,
    involvedObject: ev.regarding ?? {},
    reason: ev.reason,
    message: ev.note,
    source: ev.deprecatedSource ?? {},
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    type: ev.type,
    eventTime: ev.eventTime,
    series: ev.series,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
  };
}

function eventSource(ev: any): string {
  // The reporting fields stand in for an empty legacy source.
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

function eventCells(ev: any, now: number): unknown[] {
  const first = parseTime(ev.firstTimestamp) !== undefined ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
  let last = parseTime(ev.lastTimestamp) !== undefined ? since(ev.lastTimestamp, now) : first;
  let count = ev.count ?? 0;
  if (ev.series) {
    last = since(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // events.k8s.io singletons carry no count
  }
  const kind = String(ev.involvedObject?.kind ?? '').toLowerCase();
  const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
  return [
    last, ev.type ?? '', ev.reason ?? '', target, ev.involvedObject?.fieldPath ?? '', eventSource(ev),
    String(ev.message ?? '').trim(), first, count, ev.metadata?.name ?? '',
  ];
}

const eventColumns = [
  col('Last Seen', 'Time since the event was last observed.'),
  col('Type', 'Normal or Warning.'),
  col('Reason', 'Short machine-readable cause.'),
  col('Object', 'Object the event is about.'),
  col('Subobject', 'Field path within the object, such as a container.', { wide: true }),
  col('Source', 'Component (and host) that reported the event.', { wide: true }),
  col('Message', 'Human-readable description.'),
  col('First Seen', 'Time since the event was first observed.', { wide: true }),
  col('Count', 'Times the event has occurred.', { wide: true }),
  { ...nameColumn, priority: 1 },
];

export const eventPrinter: TablePrinter = {
  columns: eventColumns,
  cells: eventCells,
};

export const eventsV1Printer: TablePrinter = {
  columns: eventColumns,
  cells: (ev, now) => eventCells(coreEventOf(ev), now),
};
