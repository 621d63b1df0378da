// The Events upstream's pod control records on a ReplicaSet (pkg/controller/
// controller_utils.go RealPodControl, v1.33). The pod's name is known only after the API
// server has generated it, so the caller builds these once a create or delete has returned.

export interface PlanEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  object?: { apiVersion: string; kind: string; namespace: string; name: string; uid?: string };
}

export function objectRef(obj: any, apiVersion: string, kind: string): NonNullable<PlanEvent['object']> {
  const ref: NonNullable<PlanEvent['object']> = { apiVersion, kind, namespace: obj?.metadata?.namespace ?? 'default', name: obj?.metadata?.name };
  if (obj?.metadata?.uid) ref.uid = obj.metadata.uid;
  return ref;
}

const rsRef = (rs: any) => objectRef(rs, 'apps/v1', 'ReplicaSet');

export function podCreatedEvent(rs: any, podName: string): PlanEvent {
  return { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${podName}`, object: rsRef(rs) };
}

/** Upstream skips this event when the namespace is terminating. */
export function podCreateFailedEvent(rs: any, error: string): PlanEvent {
  return { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${error}`, object: rsRef(rs) };
}

export function podDeletedEvent(rs: any, podName: string): PlanEvent {
  return { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${podName}`, object: rsRef(rs) };
}

/** Upstream records nothing when the pod is already gone (NotFound). */
export function podDeleteFailedEvent(rs: any, error: string): PlanEvent {
  return { type: 'Warning', reason: 'FailedDelete', message: `Error deleting: ${error}`, object: rsRef(rs) };
}
