// core/v1 kinds other than Pod: Namespace, Node, Service, Endpoints, ConfigMap, Secret,
// ServiceAccount, Event, and the references they share.

import type { TypeDef } from './dsl.ts';
import { core, f, kind, t } from './dsl.ts';

const byType = { list: 'map', keys: ['type'], patch: 'merge', mergeKey: 'type' } as const;

export const coreTypes: TypeDef[] = [
  kind('core.v1.Namespace', core('Namespace'), 'A scope for names; most objects live in one.', {
    spec: f('core.v1.NamespaceSpec', 'Desired state of the namespace.'),
    status: f('core.v1.NamespaceStatus', 'Observed state of the namespace.'),
  }),
  t('core.v1.NamespaceSpec', 'Desired state of a namespace.', {
    finalizers: f('[]string', 'Finalizers that must be cleared before the namespace is removed.', { list: 'atomic' }),
  }),
  t('core.v1.NamespaceStatus', 'Observed state of a namespace.', {
    phase: f('string', 'Active or Terminating.', { enum: ['Active', 'Terminating'] }),
    conditions: f('[]core.v1.NamespaceCondition', 'Progress of namespace deletion.', byType),
  }),
  t('core.v1.NamespaceCondition', 'One condition of a namespace.', {
    type: f('string', 'Condition type.', { req: true }),
    status: f('string', 'True, False or Unknown.', { req: true }),
    lastTransitionTime: f('date-time', 'When status last changed.'),
    reason: f('string', 'CamelCase reason.'),
    message: f('string', 'Details.'),
  }),

  kind('core.v1.Node', core('Node'), 'A machine (in knet, a network namespace) that runs pods.', {
    spec: f('core.v1.NodeSpec', 'Desired state of the node.'),
    status: f('core.v1.NodeStatus', 'Observed state of the node, reported by its agent.'),
  }),
  t('core.v1.NodeSpec', 'Desired state of a node.', {
    podCIDR: f('string', 'Pod IP range assigned to the node.'),
    podCIDRs: f('[]string', 'Pod IP ranges, one per family; the first equals podCIDR.', { list: 'set', patch: 'merge' }),
    providerID: f('string', 'Cloud provider ID of the node.'),
    unschedulable: f('boolean', 'Keep new pods off the node (kubectl cordon).'),
    taints: f('[]core.v1.Taint', 'Taints that repel pods without a matching toleration.', { list: 'atomic' }),
    configSource: f('free', 'Deprecated dynamic kubelet config source.'),
    externalID: f('string', 'Deprecated.'),
  }),
  t('core.v1.Taint', 'Repels pods that do not tolerate it.', {
    key: f('string', 'Taint key.', { req: true }),
    value: f('string', 'Taint value.'),
    effect: f('string', 'NoSchedule, PreferNoSchedule or NoExecute.', { req: true, enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] }),
    timeAdded: f('date-time', 'When a NoExecute taint was added.'),
  }),
  t('core.v1.NodeStatus', 'Observed state of a node.', {
    capacity: f('{}quantity', 'Total resources of the node.'),
    allocatable: f('{}quantity', 'Resources available to pods.'),
    phase: f('string', 'Deprecated.'),
    conditions: f('[]core.v1.NodeCondition', 'Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.', byType),
    addresses: f('[]core.v1.NodeAddress', 'Addresses of the node.', byType),
    daemonEndpoints: f('core.v1.NodeDaemonEndpoints', 'Ports of daemons on the node.'),
    nodeInfo: f('core.v1.NodeSystemInfo', 'Versions and identifiers of the node.'),
    images: f('[]core.v1.ContainerImage', 'Images present on the node.', { list: 'atomic' }),
    volumesInUse: f('[]string', 'Volumes in use on the node.', { list: 'atomic' }),
    volumesAttached: f('[]free', 'Volumes attached to the node.', { list: 'atomic' }),
    config: f('free', 'Status of dynamic config.'),
    runtimeHandlers: f('[]free', 'Runtime handlers available.', { list: 'atomic' }),
    features: f('free', 'Features the node supports.'),
  }),
  t('core.v1.NodeCondition', 'One condition of a node.', {
    type: f('string', 'Condition type.', { req: true }),
    status: f('string', 'True, False or Unknown.', { req: true }),
    lastHeartbeatTime: f('date-time', 'When the agent last reported it.'),
    lastTransitionTime: f('date-time', 'When status last changed.'),
    reason: f('string', 'CamelCase reason.'),
    message: f('string', 'Details.'),
  }),
  t('core.v1.NodeAddress', 'One address of a node.', {
    type: f('string', 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', { req: true }),
    address: f('string', 'The address.', { req: true }),
  }),
  t('core.v1.NodeDaemonEndpoints', 'Ports of daemons on a node.', {
    kubeletEndpoint: f('core.v1.DaemonEndpoint', 'Port of the node agent.'),
  }),
  t('core.v1.DaemonEndpoint', 'A daemon port.', { Port: f('int32', 'Port number.', { req: true }) }),
  t('core.v1.NodeSystemInfo', 'Identifiers and versions of a node.', {
    machineID: f('string', 'Machine ID.', { req: true }),
    systemUUID: f('string', 'System UUID.', { req: true }),
    bootID: f('string', 'Boot ID.', { req: true }),
    kernelVersion: f('string', 'Kernel version.', { req: true }),
    osImage: f('string', 'OS image.', { req: true }),
    containerRuntimeVersion: f('string', 'Runtime name and version.', { req: true }),
    kubeletVersion: f('string', 'Node agent version.', { req: true }),
    kubeProxyVersion: f('string', 'Deprecated.', { req: true }),
    operatingSystem: f('string', 'Operating system.', { req: true }),
    architecture: f('string', 'CPU architecture.', { req: true }),
    swap: f('free', 'Swap memory of the node.'),
  }),
  t('core.v1.ContainerImage', 'An image on a node.', {
    names: f('[]string', 'Names of the image.', { list: 'atomic' }),
    sizeBytes: f('int64', 'Size in bytes.'),
  }),

  kind('core.v1.Service', core('Service'), 'A stable virtual IP and DNS name in front of a set of pods.', {
    spec: f('core.v1.ServiceSpec', 'Desired behaviour of the Service.'),
    status: f('core.v1.ServiceStatus', 'Observed state of the Service (load balancer).'),
  }),
  t('core.v1.ServiceSpec', 'Desired behaviour of a Service.', {
    ports: f('[]core.v1.ServicePort', 'Ports the Service exposes.', {
      list: 'map', keys: ['port', 'protocol'], patch: 'merge', mergeKey: 'port',
    }),
    selector: f('{}string', 'Labels of the pods that back the Service; without it, endpoints are managed by hand.', { mapType: 'atomic' }),
    clusterIP: f('string', 'Virtual IP, allocated when empty; None makes the Service headless.'),
    clusterIPs: f('[]string', 'Virtual IPs, one per family; the first equals clusterIP.', { list: 'atomic' }),
    type: f('string', 'ClusterIP, NodePort, LoadBalancer or ExternalName.',
      { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
    externalIPs: f('[]string', 'Extra IPs the nodes accept traffic for.', { list: 'atomic' }),
    sessionAffinity: f('string', 'ClientIP pins each client to one endpoint; None does not.', { enum: ['ClientIP', 'None'] }),
    loadBalancerIP: f('string', 'Deprecated: requested load balancer IP.'),
    loadBalancerSourceRanges: f('[]string', 'Client CIDRs allowed through the load balancer.', { list: 'atomic' }),
    externalName: f('string', 'DNS name a CNAME points to, for type ExternalName.'),
    externalTrafficPolicy: f('string', 'Cluster or Local routing of external traffic.', { enum: ['Cluster', 'Local'] }),
    healthCheckNodePort: f('int32', 'Node port for load balancer health checks with the Local policy.'),
    publishNotReadyAddresses: f('boolean', 'Publish endpoints whether they are ready or not.'),
    sessionAffinityConfig: f('core.v1.SessionAffinityConfig', 'Settings of session affinity.'),
    ipFamilies: f('[]string', 'IPv4 and/or IPv6, in order.', { list: 'atomic' }),
    ipFamilyPolicy: f('string', 'SingleStack, PreferDualStack or RequireDualStack.',
      { enum: ['PreferDualStack', 'RequireDualStack', 'SingleStack'] }),
    allocateLoadBalancerNodePorts: f('boolean', 'Allocate node ports for LoadBalancer Services.'),
    loadBalancerClass: f('string', 'Load balancer implementation that handles the Service.'),
    internalTrafficPolicy: f('string', 'Cluster or Local routing of traffic from inside the cluster.', { enum: ['Cluster', 'Local'] }),
    trafficDistribution: f('string', 'Preference for routing traffic, e.g. PreferClose.'),
  }),
  t('core.v1.ServicePort', 'One port a Service exposes.', {
    name: f('string', 'Name of the port, unique within the Service; required with several ports.'),
    protocol: f('string', 'TCP, UDP or SCTP; defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    appProtocol: f('string', 'Application protocol hint.'),
    port: f('int32', 'Port the Service listens on.', { req: true }),
    targetPort: f('intOrString', 'Port number or named container port on the pods; defaults to port.'),
    nodePort: f('int32', 'Port on every node for NodePort and LoadBalancer Services.'),
  }),
  t('core.v1.SessionAffinityConfig', 'Settings of session affinity.', {
    clientIP: f('core.v1.ClientIPConfig', 'ClientIP affinity settings.'),
  }),
  t('core.v1.ClientIPConfig', 'ClientIP affinity settings.', {
    timeoutSeconds: f('int32', 'Affinity timeout; defaults to 10800 (3 hours).'),
  }),
  t('core.v1.ServiceStatus', 'Observed state of a Service.', {
    loadBalancer: f('core.v1.LoadBalancerStatus', 'Addresses of the load balancer.'),
    conditions: f('[]meta.v1.Condition', 'Conditions of the Service.', byType),
  }),
  t('core.v1.LoadBalancerStatus', 'A load balancer.', {
    ingress: f('[]core.v1.LoadBalancerIngress', 'Its addresses.', { list: 'atomic' }),
  }),
  t('core.v1.LoadBalancerIngress', 'One load balancer address.', {
    ip: f('string', 'IP address.'),
    hostname: f('string', 'DNS name.'),
    ipMode: f('string', 'VIP or Proxy.'),
    ports: f('[]core.v1.PortStatus', 'Per-port status.', { list: 'atomic' }),
  }),
  t('core.v1.PortStatus', 'Status of one port.', {
    port: f('int32', 'Port number.', { req: true }),
    protocol: f('string', 'TCP, UDP or SCTP.', { req: true }),
    error: f('string', 'Problem with the port, in CamelCase.'),
  }),

  kind('core.v1.Endpoints', core('Endpoints'), 'The addresses behind a Service (legacy; see EndpointSlice).', {
    subsets: f('[]core.v1.EndpointSubset', 'Groups of addresses sharing the same ports.', { list: 'atomic' }),
  }),
  t('core.v1.EndpointSubset', 'Addresses that share a set of ports.', {
    addresses: f('[]core.v1.EndpointAddress', 'Ready addresses.', { list: 'atomic' }),
    notReadyAddresses: f('[]core.v1.EndpointAddress', 'Addresses that are not ready.', { list: 'atomic' }),
    ports: f('[]core.v1.EndpointPort', 'Ports of the addresses.', { list: 'atomic' }),
  }),
  t('core.v1.EndpointAddress', 'One endpoint address.', {
    ip: f('string', 'IP address.', { req: true }),
    hostname: f('string', 'Hostname of the endpoint.'),
    nodeName: f('string', 'Node of the endpoint.'),
    targetRef: f('core.v1.ObjectReference', 'Object (usually a pod) behind the address.'),
  }, { atomic: true }),
  t('core.v1.EndpointPort', 'One endpoint port.', {
    name: f('string', 'Matches the Service port name.'),
    port: f('int32', 'Port number.', { req: true }),
    protocol: f('string', 'TCP, UDP or SCTP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    appProtocol: f('string', 'Application protocol hint.'),
  }, { atomic: true }),
  t('core.v1.ObjectReference', 'Points at another object.', {
    kind: f('string', 'Kind of the object.'),
    namespace: f('string', 'Namespace of the object.'),
    name: f('string', 'Name of the object.'),
    uid: f('string', 'UID of the object.'),
    apiVersion: f('string', 'API version of the object.'),
    resourceVersion: f('string', 'Version of the object this reference was made from.'),
    fieldPath: f('string', 'Field inside the object, e.g. spec.containers{web}.'),
  }, { atomic: true }),

  kind('core.v1.ConfigMap', core('ConfigMap'), 'Non-secret configuration data as key/value pairs.', {
    immutable: f('boolean', 'When true, data can no longer change.'),
    data: f('{}string', 'UTF-8 values.'),
    binaryData: f('{}byte', 'Binary values, base64 in JSON.'),
  }),
  kind('core.v1.Secret', core('Secret'), 'Sensitive data as key/value pairs.', {
    immutable: f('boolean', 'When true, data can no longer change.'),
    data: f('{}byte', 'Values, base64 in JSON.'),
    stringData: f('{}string', 'Write-only plain values, merged into data.'),
    type: f('string', 'Type that tells how the data is used (Opaque, kubernetes.io/tls...).'),
  }),
  kind('core.v1.ServiceAccount', core('ServiceAccount'), 'An identity for processes that run in pods.', {
    secrets: f('[]core.v1.ObjectReference', 'Secrets pods of this account may use.', {
      list: 'map', keys: ['name'], patch: 'merge', mergeKey: 'name',
    }),
    imagePullSecrets: f('[]core.v1.LocalObjectReference', 'Secrets used to pull images.', { list: 'atomic' }),
    automountServiceAccountToken: f('boolean', 'Mount a token into pods by default.'),
  }),

  kind('core.v1.Event', core('Event'), 'A report of something that happened in the cluster.', {
    involvedObject: f('core.v1.ObjectReference', 'Object the event is about.', { req: true }),
    reason: f('string', 'Short CamelCase reason.'),
    message: f('string', 'Human-readable description.'),
    source: f('core.v1.EventSource', 'Component that reported the event.'),
    firstTimestamp: f('date-time', 'First time the event happened.'),
    lastTimestamp: f('date-time', 'Latest time the event happened.'),
    count: f('int32', 'Times the event happened.'),
    type: f('string', 'Normal or Warning.'),
    eventTime: f('micro-time', 'When the event was first observed.'),
    series: f('core.v1.EventSeries', 'Data about a series of the same event.'),
    action: f('string', 'What was done, or failed.'),
    related: f('core.v1.ObjectReference', 'A second object involved.'),
    reportingComponent: f('string', 'Controller that emitted the event.'),
    reportingInstance: f('string', 'Instance of that controller.'),
  }),
  t('core.v1.EventSource', 'Reporter of an event.', {
    component: f('string', 'Component name.'),
    host: f('string', 'Node name.'),
  }),
  t('core.v1.EventSeries', 'A series of repeated events.', {
    count: f('int32', 'Occurrences so far.'),
    lastObservedTime: f('micro-time', 'Time of the latest occurrence.'),
  }),
];
