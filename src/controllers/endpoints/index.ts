// Endpoints controller decisions: the legacy v1 Endpoints object for each selector
// Service. Pure functions; the loop does the I/O. Trigger times come from
// computeTriggerTime in ../endpointslice (upstream shares the tracker too).

export { endpointsChanged } from './compare.ts';
export {
  desiredEndpointsObject, desiredSubsets, MAX_ENDPOINTS_CAPACITY, truncateSubsets,
  type DesiredEndpointsOptions,
} from './desired.ts';
export { endpointsWriteFailedEvent, planEndpointsSync, type EndpointsAction, type EndpointsEvent } from './plan.ts';
export { compareAddresses, repackSubsets, type EndpointAddress, type EndpointSubset, type EndpointsPort } from './repack.ts';
