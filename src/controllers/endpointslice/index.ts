// EndpointSlice controller decisions: which endpoints a Service wants, and which
// slice writes get the cluster there. Pure functions; the loop does the I/O.

export {
  ANNOTATION_OVER_CAPACITY, ANNOTATION_TRIGGER_TIME, DEFAULT_MAX_ENDPOINTS_PER_SLICE,
  ENDPOINTSLICE_CONTROLLER_NAME, LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME,
  LABEL_SKIP_MIRROR, LABEL_TOPOLOGY_ZONE,
} from './constants.ts';
export { addressTypeOf, canonicalIP, type AddressType } from './ip-family.ts';
export {
  addressTypesForService, endpointPortsFor, findPort, isPodReady, isPodTerminal, isPodTerminating,
  isServiceIPSet, podAddresses, podToEndpoint, shouldPodBeInEndpoints, shouldSetHostname,
  type Endpoint, type EndpointConditions, type EndpointPort, type PodRef,
} from './pod-endpoint.ts';
export {
  desiredEndpoints, selectPods, serviceHasSelector,
  type DesiredEndpoints, type EndpointGroup, type SkippedPod,
} from './desired.ts';
export { reconcileSlices, type PlanEvent, type ReconcileOptions, type SlicePlan } from './reconcile.ts';
export { endpointKey, isManagedBy, ownedBy, portSetKey } from './slice-meta.ts';
export { computeTriggerTime, formatRFC3339Nano, type TriggerState } from './trigger-time.ts';
