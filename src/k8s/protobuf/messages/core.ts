// k8s.io/api core/v1: the objects kubectl's generators create (Service, Namespace,
// ConfigMap, Secret, ServiceAccount) and the status parts they carry.

export const coreMessages: Record<string, Record<number, string>> = {
  Service: { 1: 'metadata:ObjectMeta', 2: 'spec:ServiceSpec', 3: 'status:ServiceStatus' },
  ServiceSpec: {
    1: 'ports[]:ServicePort', 2: 'selector{}', 3: 'clusterIP', 18: 'clusterIPs[]', 4: 'type',
    5: 'externalIPs[]', 7: 'sessionAffinity', 8: 'loadBalancerIP', 9: 'loadBalancerSourceRanges[]',
    10: 'externalName', 11: 'externalTrafficPolicy', 12: 'healthCheckNodePort:int32',
    13: 'publishNotReadyAddresses:bool', 14: 'sessionAffinityConfig?:SessionAffinityConfig',
    19: 'ipFamilies[]', 17: 'ipFamilyPolicy?', 20: 'allocateLoadBalancerNodePorts?:bool',
    21: 'loadBalancerClass?', 22: 'internalTrafficPolicy?', 23: 'trafficDistribution?',
  },
  ServicePort: {
    1: 'name', 2: 'protocol', 6: 'appProtocol?', 3: 'port:int32', 4: 'targetPort:IntOrString', 5: 'nodePort:int32',
  },
  SessionAffinityConfig: { 1: 'clientIP?:ClientIPConfig' },
  ClientIPConfig: { 1: 'timeoutSeconds?:int32' },
  ServiceStatus: { 1: 'loadBalancer:LoadBalancerStatus', 2: 'conditions[]:Condition' },
  LoadBalancerStatus: { 1: 'ingress[]:LoadBalancerIngress' },
  LoadBalancerIngress: { 1: 'ip', 2: 'hostname', 3: 'ipMode?', 4: 'ports[]:PortStatus' },
  PortStatus: { 1: 'port:int32', 2: 'protocol', 3: 'error?' },

  Namespace: { 1: 'metadata:ObjectMeta', 2: 'spec:NamespaceSpec', 3: 'status:NamespaceStatus' },
  NamespaceSpec: { 1: 'finalizers[]' },
  NamespaceStatus: { 1: 'phase', 2: 'conditions[]:NamespaceCondition' },
  NamespaceCondition: { 1: 'type', 2: 'status', 4: 'lastTransitionTime:Time', 5: 'reason', 6: 'message' },

  ConfigMap: { 1: 'metadata:ObjectMeta', 4: 'immutable?:bool', 2: 'data{}', 3: 'binaryData{}:bytes' },
  Secret: { 1: 'metadata:ObjectMeta', 5: 'immutable?:bool', 2: 'data{}:bytes', 4: 'stringData{}', 3: 'type' },

  ServiceAccount: {
    1: 'metadata:ObjectMeta', 2: 'secrets[]:ObjectReference', 3: 'imagePullSecrets[]:LocalObjectReference',
    4: 'automountServiceAccountToken?:bool',
  },
  ObjectReference: {
    1: 'kind', 2: 'namespace', 3: 'name', 4: 'uid', 5: 'apiVersion', 6: 'resourceVersion', 7: 'fieldPath',
  },
  LocalObjectReference: { 1: 'name' },
  TypedLocalObjectReference: { 1: 'apiGroup?', 2: 'kind', 3: 'name' },
};
