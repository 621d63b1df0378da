// apps/v1 Deployment and ReplicaSet, and autoscaling/v1 Scale (their scale subresource).

import type { TypeDef } from './dsl.ts';
import { f, kind, t } from './dsl.ts';

const byType = { list: 'map', keys: ['type'], patch: 'merge', mergeKey: 'type' } as const;
const apps = (k: string) => ({ group: 'apps', version: 'v1', kind: k });

const conditionFields = {
  type: f('string', 'Condition type.', { req: true }),
  status: f('string', 'True, False or Unknown.', { req: true }),
  lastTransitionTime: f('date-time', 'When status last changed.'),
  reason: f('string', 'CamelCase reason of the last transition.'),
  message: f('string', 'Details.'),
};

export const appsTypes: TypeDef[] = [
  kind('apps.v1.Deployment', apps('Deployment'), 'Declarative updates of a replicated set of pods, through ReplicaSets.', {
    spec: f('apps.v1.DeploymentSpec', 'Desired state of the Deployment.'),
    status: f('apps.v1.DeploymentStatus', 'Observed state of the Deployment.'),
  }),
  t('apps.v1.DeploymentSpec', 'Desired state of a Deployment.', {
    replicas: f('int32', 'Number of pods wanted; defaults to 1.'),
    selector: f('meta.v1.LabelSelector', 'Selects the pods the Deployment manages; must match the template labels.', { req: true }),
    template: f('core.v1.PodTemplateSpec', 'Pods to create.', { req: true }),
    strategy: f('apps.v1.DeploymentStrategy', 'How old pods are replaced by new ones.', { patch: 'retainKeys' }),
    minReadySeconds: f('int32', 'Seconds a new pod must be ready before it counts as available.'),
    revisionHistoryLimit: f('int32', 'Old ReplicaSets kept for rollback; defaults to 10.'),
    paused: f('boolean', 'Stop rolling out template changes.'),
    progressDeadlineSeconds: f('int32', 'Seconds without progress before the rollout is reported as failed.'),
  }),
  t('apps.v1.DeploymentStrategy', 'How a Deployment replaces pods.', {
    type: f('string', 'RollingUpdate (default) or Recreate.', { enum: ['Recreate', 'RollingUpdate'] }),
    rollingUpdate: f('apps.v1.RollingUpdateDeployment', 'Rolling update parameters.'),
  }),
  t('apps.v1.RollingUpdateDeployment', 'Pace of a rolling update.', {
    maxUnavailable: f('intOrString', 'Pods (or percent) that may be unavailable during the update; defaults to 25%.'),
    maxSurge: f('intOrString', 'Pods (or percent) that may exist above replicas during the update; defaults to 25%.'),
  }),
  t('apps.v1.DeploymentStatus', 'Observed state of a Deployment.', {
    observedGeneration: f('int64', 'Generation the controller last acted on.'),
    replicas: f('int32', 'Pods targeted by the Deployment.'),
    updatedReplicas: f('int32', 'Pods that run the current template.'),
    readyReplicas: f('int32', 'Pods that are ready.'),
    availableReplicas: f('int32', 'Pods ready for at least minReadySeconds.'),
    unavailableReplicas: f('int32', 'Pods still needed for full availability.'),
    terminatingReplicas: f('int32', 'Pods that are shutting down.'),
    conditions: f('[]apps.v1.DeploymentCondition', 'Available, Progressing, ReplicaFailure.', byType),
    collisionCount: f('int32', 'Counter that breaks ReplicaSet name collisions.'),
  }),
  t('apps.v1.DeploymentCondition', 'One condition of a Deployment.', {
    ...conditionFields,
    lastUpdateTime: f('date-time', 'When the condition was last updated.'),
  }),

  kind('apps.v1.ReplicaSet', apps('ReplicaSet'), 'Keeps a number of identical pods running.', {
    spec: f('apps.v1.ReplicaSetSpec', 'Desired state of the ReplicaSet.'),
    status: f('apps.v1.ReplicaSetStatus', 'Observed state of the ReplicaSet.'),
  }),
  t('apps.v1.ReplicaSetSpec', 'Desired state of a ReplicaSet.', {
    replicas: f('int32', 'Number of pods wanted; defaults to 1.'),
    minReadySeconds: f('int32', 'Seconds a new pod must be ready before it counts as available.'),
    selector: f('meta.v1.LabelSelector', 'Selects the pods the ReplicaSet manages.', { req: true }),
    template: f('core.v1.PodTemplateSpec', 'Pods to create.'),
  }),
  t('apps.v1.ReplicaSetStatus', 'Observed state of a ReplicaSet.', {
    replicas: f('int32', 'Pods that exist.', { req: true }),
    fullyLabeledReplicas: f('int32', 'Pods whose labels match the template.'),
    readyReplicas: f('int32', 'Pods that are ready.'),
    availableReplicas: f('int32', 'Pods ready for at least minReadySeconds.'),
    terminatingReplicas: f('int32', 'Pods that are shutting down.'),
    observedGeneration: f('int64', 'Generation the controller last acted on.'),
    conditions: f('[]apps.v1.ReplicaSetCondition', 'Conditions of the ReplicaSet.', byType),
  }),
  t('apps.v1.ReplicaSetCondition', 'One condition of a ReplicaSet.', conditionFields),

  kind('autoscaling.v1.Scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' }, 'The scale subresource of a scalable resource.', {
    spec: f('autoscaling.v1.ScaleSpec', 'Desired scale.'),
    status: f('autoscaling.v1.ScaleStatus', 'Observed scale.'),
  }),
  t('autoscaling.v1.ScaleSpec', 'Desired scale.', {
    replicas: f('int32', 'Number of replicas wanted.'),
  }),
  t('autoscaling.v1.ScaleStatus', 'Observed scale.', {
    replicas: f('int32', 'Number of replicas observed.', { req: true }),
    selector: f('string', 'Label selector of the pods, in string form.'),
  }),
];
