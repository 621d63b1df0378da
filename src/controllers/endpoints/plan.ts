// One sync of the Endpoints controller for one Service key, as a plan.

import { serviceHasSelector } from '../endpointslice/index.ts';
import { endpointsChanged } from './compare.ts';
import { desiredEndpointsObject } from './desired.ts';

export type EndpointsAction =
  | { action: 'none' }
  | { action: 'create'; object: any }
  | { action: 'update'; object: any }
  | { action: 'delete'; namespace: string; name: string };

export interface EndpointsEvent {
  type: 'Warning';
  reason: 'FailedToCreateEndpoint' | 'FailedToUpdateEndpoint';
  message: string;
  object: { apiVersion: 'v1'; kind: 'Endpoints'; namespace: string; name: string };
}

/**
 * `service` undefined means the Service is gone: its Endpoints (if any) are deleted.
 * Services without a selector, or of type ExternalName, are left alone (their
 * Endpoints belong to whoever wrote them). Otherwise create, update, or nothing.
 */
export function planEndpointsSync(
  key: { namespace: string; name: string },
  service: any | undefined,
  pods: any[],
  current: any | undefined,
  opts: { triggerTime?: string } = {},
): EndpointsAction {
  if (!service) return current ? { action: 'delete', namespace: key.namespace, name: key.name } : { action: 'none' };
  if (!serviceHasSelector(service)) return { action: 'none' };
  const desired = desiredEndpointsObject(service, pods, { current, triggerTime: opts.triggerTime });
  if (!current) return { action: 'create', object: desired };
  return endpointsChanged(current, desired) ? { action: 'update', object: desired } : { action: 'none' };
}

/** The Warning upstream records on the Endpoints object when its write fails. */
export function endpointsWriteFailedEvent(service: any, created: boolean, error: string): EndpointsEvent {
  const ns = service?.metadata?.namespace ?? '', name = service?.metadata?.name ?? '';
  return {
    type: 'Warning',
    reason: created ? 'FailedToCreateEndpoint' : 'FailedToUpdateEndpoint',
    message: created
      ? `Failed to create endpoint for service ${ns}/${name}: ${error}`
      : `Failed to update endpoint ${ns}/${name}: ${error}`,
    object: { apiVersion: 'v1', kind: 'Endpoints', namespace: ns, name },
  };
}
