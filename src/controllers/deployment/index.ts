// The Deployment controller's decisions: the pod-template-hash, one sync as an ordered plan of
// ReplicaSet writes plus the Deployment's annotations and status, and the status on its own.
export { planDeployment, deploymentStatus, podsByReplicaSet } from './plan.ts';
export type { DeploymentPlan, DeploymentAction } from './sync-state.ts';
export { replicaSetCreateFailed } from './failures.ts';
export { podTemplateHash, templatesEqualIgnoringHash, canonicalJson, safeEncodeString, POD_TEMPLATE_HASH_LABEL } from './hash.ts';
export { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './strategy.ts';
export {
  REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION,
} from './replica-sets.ts';
export { REASON } from './status.ts';
export type { DeploymentCondition } from './status.ts';
