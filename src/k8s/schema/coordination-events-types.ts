// coordination.k8s.io/v1 Lease and events.k8s.io/v1 Event.

import type { TypeDef } from './dsl.ts';
import { f, kind, t } from './dsl.ts';

export const coordinationEventsTypes: TypeDef[] = [
  kind('coordination.v1.Lease', { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
    'A lock held for a while: node heartbeats and leader election.', {
      spec: f('coordination.v1.LeaseSpec', 'Holder and timing of the lease.'),
    }),
  t('coordination.v1.LeaseSpec', 'Holder and timing of a lease.', {
    holderIdentity: f('string', 'Who holds the lease.'),
    leaseDurationSeconds: f('int32', 'Seconds the holder has before others may take over.'),
    acquireTime: f('micro-time', 'When the current holder acquired the lease.'),
    renewTime: f('micro-time', 'When the holder last renewed the lease.'),
    leaseTransitions: f('int32', 'Times the lease changed holders.'),
    strategy: f('string', 'Strategy for picking the leader (coordinated leader election).'),
    preferredHolder: f('string', 'Holder the strategy wants next.'),
  }),

  kind('events.v1.Event', { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
    'A report of something that happened in the cluster.', {
      eventTime: f('micro-time', 'When the event was first observed.', { req: true }),
      series: f('events.v1.EventSeries', 'Data about a series of the same event.'),
      reportingController: f('string', 'Controller that emitted the event.'),
      reportingInstance: f('string', 'Instance of that controller.'),
      action: f('string', 'What was done, or failed.'),
      reason: f('string', 'Short CamelCase reason.'),
      regarding: f('core.v1.ObjectReference', 'Object the event is about.'),
      related: f('core.v1.ObjectReference', 'A second object involved.'),
      note: f('string', 'Human-readable description.'),
      type: f('string', 'Normal or Warning.'),
      deprecatedSource: f('core.v1.EventSource', 'core/v1 source, kept for compatibility.'),
      deprecatedFirstTimestamp: f('date-time', 'core/v1 firstTimestamp, kept for compatibility.'),
      deprecatedLastTimestamp: f('date-time', 'core/v1 lastTimestamp, kept for compatibility.'),
      deprecatedCount: f('int32', 'core/v1 count, kept for compatibility.'),
    }),
  t('events.v1.EventSeries', 'A series of repeated events.', {
    count: f('int32', 'Occurrences so far.', { req: true }),
    lastObservedTime: f('micro-time', 'Time of the latest occurrence.', { req: true }),
  }),
];
