// k8s.io/api apps/v1 Deployment and batch/v1 Job and CronJob.

export const workloadMessages: Record<string, Record<number, string>> = {
  Deployment: { 1: 'metadata:ObjectMeta', 2: 'spec:DeploymentSpec', 3: 'status:DeploymentStatus' },
  DeploymentSpec: {
    1: 'replicas?:int32', 2: 'selector?:LabelSelector', 3: 'template:PodTemplateSpec',
    4: 'strategy:DeploymentStrategy', 5: 'minReadySeconds:int32', 6: 'revisionHistoryLimit?:int32',
    7: 'paused:bool', 9: 'progressDeadlineSeconds?:int32',
  },
  DeploymentStrategy: { 1: 'type', 2: 'rollingUpdate?:RollingUpdateDeployment' },
  RollingUpdateDeployment: { 1: 'maxUnavailable?:IntOrString', 2: 'maxSurge?:IntOrString' },
  DeploymentStatus: {
    1: 'observedGeneration:int64', 2: 'replicas:int32', 3: 'updatedReplicas:int32', 7: 'readyReplicas:int32',
    4: 'availableReplicas:int32', 5: 'unavailableReplicas:int32', 9: 'terminatingReplicas?:int32',
    6: 'conditions[]:DeploymentCondition', 8: 'collisionCount?:int32',
  },
  DeploymentCondition: {
    1: 'type', 2: 'status', 6: 'lastUpdateTime:Time', 7: 'lastTransitionTime:Time', 4: 'reason', 5: 'message',
  },

  Job: { 1: 'metadata:ObjectMeta', 2: 'spec:JobSpec', 3: 'status:JobStatus' },
  JobSpec: {
    1: 'parallelism?:int32', 2: 'completions?:int32', 3: 'activeDeadlineSeconds?:int64',
    7: 'backoffLimit?:int32', 12: 'backoffLimitPerIndex?:int32', 13: 'maxFailedIndexes?:int32',
    4: 'selector?:LabelSelector', 5: 'manualSelector?:bool', 6: 'template:PodTemplateSpec',
    8: 'ttlSecondsAfterFinished?:int32', 9: 'completionMode?', 10: 'suspend?:bool',
    14: 'podReplacementPolicy?', 15: 'managedBy?',
  },
  JobStatus: {
    1: 'conditions[]:JobCondition', 2: 'startTime?:Time', 3: 'completionTime?:Time', 4: 'active:int32',
    5: 'succeeded:int32', 6: 'failed:int32', 11: 'terminating?:int32', 7: 'completedIndexes',
    10: 'failedIndexes?', 9: 'ready?:int32',
  },
  JobCondition: {
    1: 'type', 2: 'status', 3: 'lastProbeTime:Time', 4: 'lastTransitionTime:Time', 5: 'reason', 6: 'message',
  },

  // Status (3) is left out, as for Pod.
  CronJob: { 1: 'metadata:ObjectMeta', 2: 'spec:CronJobSpec' },
  CronJobSpec: {
    1: 'schedule', 8: 'timeZone?', 2: 'startingDeadlineSeconds?:int64', 3: 'concurrencyPolicy',
    4: 'suspend?:bool', 5: 'jobTemplate:JobTemplateSpec', 6: 'successfulJobsHistoryLimit?:int32',
    7: 'failedJobsHistoryLimit?:int32',
  },
  JobTemplateSpec: { 1: 'metadata:ObjectMeta', 2: 'spec:JobSpec' },
};
