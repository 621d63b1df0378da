// The ReplicaSet controller's decisions: which pods it owns, how many to create, which to
// delete, the pod it creates, the status it reports and the Events it records.
export { claimPods, planReplicaSet, podFromTemplate, slowStartBatches, desiredReplicas, BURST_REPLICAS } from './manage.ts';
export type { ReplicaSetPlan, PlanReplicaSetOptions } from './manage.ts';
export { replicaSetStatus } from './status.ts';
export type { ReplicaSetStatusResult, ManageError } from './status.ts';
export { rankPodsForDeletion, compareForDeletion, podDeletionCost, POD_DELETION_COST_ANNOTATION } from './rank.ts';
export { podCreatedEvent, podCreateFailedEvent, podDeletedEvent, podDeleteFailedEvent, objectRef } from './events.ts';
export type { PlanEvent } from './events.ts';
export {
  claimObjects, newControllerRef, controllerRefOf, ownerReferencesAfterAdopt, ownerReferencesAfterRelease, ownerReferencesPatch,
} from './controller-ref.ts';
export type { ClaimResult, OwnerReference } from './controller-ref.ts';
export { isPodActive, isPodReady, isPodAvailable, isPodTerminating, formatTime, parseTime } from './pods.ts';
