// k8s.io/api core/v1: the pod template inside Deployments and Jobs. The commonly used parts
// of PodSpec and Container are described; rarer ones (affinity, topology spread, ephemeral
// containers, most volume sources) are not, and are skipped like any unknown field.

export const podMessages: Record<string, Record<number, string>> = {
  // Status (3) is left out: it is ignored on create, and kubectl never sends one.
  Pod: { 1: 'metadata:ObjectMeta', 2: 'spec:PodSpec' },
  PodTemplateSpec: { 1: 'metadata:ObjectMeta', 2: 'spec:PodSpec' },
  PodSpec: {
    1: 'volumes[]:Volume', 20: 'initContainers[]:Container', 2: 'containers[]:Container',
    3: 'restartPolicy', 4: 'terminationGracePeriodSeconds?:int64', 5: 'activeDeadlineSeconds?:int64',
    6: 'dnsPolicy', 7: 'nodeSelector{}', 8: 'serviceAccountName', 9: 'serviceAccount',
    21: 'automountServiceAccountToken?:bool', 10: 'nodeName', 11: 'hostNetwork:bool', 12: 'hostPID:bool',
    13: 'hostIPC:bool', 27: 'shareProcessNamespace?:bool', 14: 'securityContext?:PodSecurityContext',
    15: 'imagePullSecrets[]:LocalObjectReference', 16: 'hostname', 17: 'subdomain', 19: 'schedulerName',
    22: 'tolerations[]:Toleration', 23: 'hostAliases[]:HostAlias', 24: 'priorityClassName',
    25: 'priority?:int32', 26: 'dnsConfig?:PodDNSConfig', 28: 'readinessGates[]:PodReadinessGate',
    29: 'runtimeClassName?', 30: 'enableServiceLinks?:bool', 31: 'preemptionPolicy?',
    32: 'overhead{}:Quantity', 35: 'setHostnameAsFQDN?:bool', 36: 'os?:PodOS', 37: 'hostUsers?:bool',
    38: 'schedulingGates[]:PodSchedulingGate', 40: 'resources?:ResourceRequirements',
  },
  PodSecurityContext: {
    2: 'runAsUser?:int64', 6: 'runAsGroup?:int64', 3: 'runAsNonRoot?:bool', 4: 'supplementalGroups[]:int64',
    12: 'supplementalGroupsPolicy?', 5: 'fsGroup?:int64', 7: 'sysctls[]:Sysctl', 9: 'fsGroupChangePolicy?',
    10: 'seccompProfile?:SeccompProfile',
  },
  Sysctl: { 1: 'name', 2: 'value' },
  SeccompProfile: { 1: 'type', 2: 'localhostProfile?' },
  Toleration: { 1: 'key', 2: 'operator', 3: 'value', 4: 'effect', 5: 'tolerationSeconds?:int64' },
  HostAlias: { 1: 'ip', 2: 'hostnames[]' },
  PodDNSConfig: { 1: 'nameservers[]', 2: 'searches[]', 3: 'options[]:PodDNSConfigOption' },
  PodDNSConfigOption: { 1: 'name', 2: 'value?' },
  PodReadinessGate: { 1: 'conditionType' },
  PodOS: { 1: 'name' },
  PodSchedulingGate: { 1: 'name' },

  Container: {
    1: 'name', 2: 'image', 3: 'command[]', 4: 'args[]', 5: 'workingDir', 6: 'ports[]:ContainerPort',
    19: 'envFrom[]:EnvFromSource', 7: 'env[]:EnvVar', 8: 'resources:ResourceRequirements',
    23: 'resizePolicy[]:ContainerResizePolicy', 24: 'restartPolicy?', 9: 'volumeMounts[]:VolumeMount',
    10: 'livenessProbe?:Probe', 11: 'readinessProbe?:Probe', 22: 'startupProbe?:Probe',
    12: 'lifecycle?:Lifecycle', 13: 'terminationMessagePath', 20: 'terminationMessagePolicy',
    14: 'imagePullPolicy', 15: 'securityContext?:SecurityContext', 16: 'stdin:bool', 17: 'stdinOnce:bool',
    18: 'tty:bool',
  },
  ContainerPort: { 1: 'name', 2: 'hostPort:int32', 3: 'containerPort:int32', 4: 'protocol', 5: 'hostIP' },
  ContainerResizePolicy: { 1: 'resourceName', 2: 'restartPolicy' },
  EnvVar: { 1: 'name', 2: 'value', 3: 'valueFrom?:EnvVarSource' },
  EnvVarSource: {
    1: 'fieldRef?:ObjectFieldSelector', 2: 'resourceFieldRef?:ResourceFieldSelector',
    3: 'configMapKeyRef?:ConfigMapKeySelector', 4: 'secretKeyRef?:SecretKeySelector',
  },
  ObjectFieldSelector: { 1: 'apiVersion', 2: 'fieldPath' },
  ResourceFieldSelector: { 1: 'containerName', 2: 'resource', 3: 'divisor:Quantity' },
  ConfigMapKeySelector: { 1: '...:LocalObjectReference', 2: 'key', 3: 'optional?:bool' },
  SecretKeySelector: { 1: '...:LocalObjectReference', 2: 'key', 3: 'optional?:bool' },
  EnvFromSource: { 1: 'prefix', 2: 'configMapRef?:ConfigMapEnvSource', 3: 'secretRef?:SecretEnvSource' },
  ConfigMapEnvSource: { 1: '...:LocalObjectReference', 2: 'optional?:bool' },
  SecretEnvSource: { 1: '...:LocalObjectReference', 2: 'optional?:bool' },
  ResourceRequirements: { 1: 'limits{}:Quantity', 2: 'requests{}:Quantity', 3: 'claims[]:ResourceClaim' },
  ResourceClaim: { 1: 'name', 2: 'request' },

  Probe: {
    1: '...:ProbeHandler', 2: 'initialDelaySeconds:int32', 3: 'timeoutSeconds:int32', 4: 'periodSeconds:int32',
    5: 'successThreshold:int32', 6: 'failureThreshold:int32', 7: 'terminationGracePeriodSeconds?:int64',
  },
  ProbeHandler: {
    1: 'exec?:ExecAction', 2: 'httpGet?:HTTPGetAction', 3: 'tcpSocket?:TCPSocketAction', 4: 'grpc?:GRPCAction',
  },
  Lifecycle: { 1: 'postStart?:LifecycleHandler', 2: 'preStop?:LifecycleHandler', 3: 'stopSignal?' },
  LifecycleHandler: {
    1: 'exec?:ExecAction', 2: 'httpGet?:HTTPGetAction', 3: 'tcpSocket?:TCPSocketAction', 4: 'sleep?:SleepAction',
  },
  ExecAction: { 1: 'command[]' },
  HTTPGetAction: {
    1: 'path', 2: 'port:IntOrString', 3: 'host', 4: 'scheme', 5: 'httpHeaders[]:HTTPHeader',
  },
  HTTPHeader: { 1: 'name', 2: 'value' },
  TCPSocketAction: { 1: 'port:IntOrString', 2: 'host' },
  GRPCAction: { 1: 'port:int32', 2: 'service?' },
  SleepAction: { 1: 'seconds:int64' },

  VolumeMount: {
    1: 'name', 2: 'readOnly:bool', 7: 'recursiveReadOnly?', 3: 'mountPath', 4: 'subPath',
    5: 'mountPropagation?', 6: 'subPathExpr',
  },
  SecurityContext: {
    1: 'capabilities?:Capabilities', 2: 'privileged?:bool', 4: 'runAsUser?:int64', 8: 'runAsGroup?:int64',
    5: 'runAsNonRoot?:bool', 6: 'readOnlyRootFilesystem?:bool', 7: 'allowPrivilegeEscalation?:bool',
    9: 'procMount?', 11: 'seccompProfile?:SeccompProfile',
  },
  Capabilities: { 1: 'add[]', 2: 'drop[]' },

  Volume: { 1: 'name', 2: '...:VolumeSource' },
  VolumeSource: {
    1: 'hostPath?:HostPathVolumeSource', 2: 'emptyDir?:EmptyDirVolumeSource', 6: 'secret?:SecretVolumeSource',
    10: 'persistentVolumeClaim?:PersistentVolumeClaimVolumeSource', 19: 'configMap?:ConfigMapVolumeSource',
  },
  HostPathVolumeSource: { 1: 'path', 2: 'type?' },
  EmptyDirVolumeSource: { 1: 'medium', 2: 'sizeLimit?:Quantity' },
  SecretVolumeSource: { 1: 'secretName', 2: 'items[]:KeyToPath', 3: 'defaultMode?:int32', 4: 'optional?:bool' },
  ConfigMapVolumeSource: {
    1: '...:LocalObjectReference', 2: 'items[]:KeyToPath', 3: 'defaultMode?:int32', 4: 'optional?:bool',
  },
  KeyToPath: { 1: 'key', 2: 'path', 3: 'mode?:int32' },
  PersistentVolumeClaimVolumeSource: { 1: 'claimName', 2: 'readOnly:bool' },
};
