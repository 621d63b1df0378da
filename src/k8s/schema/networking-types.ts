// networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy, and discovery.k8s.io/v1
// EndpointSlice.

import type { TypeDef } from './dsl.ts';
import { f, kind, t } from './dsl.ts';

const net = (k: string) => ({ group: 'networking.k8s.io', version: 'v1', kind: k });

export const networkingTypes: TypeDef[] = [
  kind('networking.v1.Ingress', net('Ingress'), 'HTTP(S) routes from outside the cluster to Services.', {
    spec: f('networking.v1.IngressSpec', 'Routing rules.'),
    status: f('networking.v1.IngressStatus', 'Addresses the ingress controller serves it on.'),
  }),
  t('networking.v1.IngressSpec', 'Routing rules of an Ingress.', {
    ingressClassName: f('string', 'IngressClass that implements this Ingress.'),
    defaultBackend: f('networking.v1.IngressBackend', 'Backend for requests no rule matches.'),
    tls: f('[]networking.v1.IngressTLS', 'TLS settings per host set.', { list: 'atomic' }),
    rules: f('[]networking.v1.IngressRule', 'Host rules; requests match the first rule of their host.', { list: 'atomic' }),
  }),
  t('networking.v1.IngressTLS', 'TLS for a set of hosts.', {
    hosts: f('[]string', 'Hosts the certificate covers.', { list: 'atomic' }),
    secretName: f('string', 'Secret holding tls.crt and tls.key.'),
  }),
  t('networking.v1.IngressRule', 'Routes for one host.', {
    host: f('string', 'Host name, possibly with a leading wildcard label; empty matches any host.'),
    http: f('networking.v1.HTTPIngressRuleValue', 'HTTP routes of the host.'),
  }),
  t('networking.v1.HTTPIngressRuleValue', 'HTTP routes.', {
    paths: f('[]networking.v1.HTTPIngressPath', 'Paths and the backends they go to.', { req: true, list: 'atomic' }),
  }),
  t('networking.v1.HTTPIngressPath', 'One path route.', {
    path: f('string', 'Path to match; must start with /.'),
    pathType: f('string', 'Exact, Prefix or ImplementationSpecific.', { req: true, enum: ['Exact', 'ImplementationSpecific', 'Prefix'] }),
    backend: f('networking.v1.IngressBackend', 'Where matching requests go.', { req: true }),
  }),
  t('networking.v1.IngressBackend', 'A Service port or a resource that receives requests.', {
    service: f('networking.v1.IngressServiceBackend', 'A Service port.'),
    resource: f('core.v1.TypedLocalObjectReference', 'Another object in the namespace.'),
  }),
  t('networking.v1.IngressServiceBackend', 'A Service as backend.', {
    name: f('string', 'Service name, in the Ingress namespace.', { req: true }),
    port: f('networking.v1.ServiceBackendPort', 'Port of the Service.'),
  }),
  t('networking.v1.ServiceBackendPort', 'A Service port, by name or number.', {
    name: f('string', 'Port name.'),
    number: f('int32', 'Port number.'),
  }),
  t('core.v1.TypedLocalObjectReference', 'Names a typed object in the same namespace.', {
    apiGroup: f('string', 'API group of the object; empty for core.'),
    kind: f('string', 'Kind of the object.', { req: true }),
    name: f('string', 'Name of the object.', { req: true }),
  }, { atomic: true }),
  t('networking.v1.IngressStatus', 'Observed state of an Ingress.', {
    loadBalancer: f('networking.v1.IngressLoadBalancerStatus', 'Addresses of the load balancer.'),
  }),
  t('networking.v1.IngressLoadBalancerStatus', 'Load balancer of an Ingress.', {
    ingress: f('[]networking.v1.IngressLoadBalancerIngress', 'Its addresses.', { list: 'atomic' }),
  }),
  t('networking.v1.IngressLoadBalancerIngress', 'One address of an Ingress load balancer.', {
    ip: f('string', 'IP address.'),
    hostname: f('string', 'DNS name.'),
    ports: f('[]networking.v1.IngressPortStatus', 'Per-port status.', { list: 'atomic' }),
  }),
  t('networking.v1.IngressPortStatus', 'Status of one port.', {
    port: f('int32', 'Port number.', { req: true }),
    protocol: f('string', 'TCP, UDP or SCTP.', { req: true }),
    error: f('string', 'Problem with the port, in CamelCase.'),
  }),

  kind('networking.v1.IngressClass', net('IngressClass'), 'A kind of ingress, and the controller that implements it.', {
    spec: f('networking.v1.IngressClassSpec', 'The controller and its parameters.'),
  }),
  t('networking.v1.IngressClassSpec', 'Spec of an IngressClass.', {
    controller: f('string', 'Name of the controller, e.g. example.com/ingress-controller.'),
    parameters: f('networking.v1.IngressClassParametersReference', 'Object with controller configuration.'),
  }),
  t('networking.v1.IngressClassParametersReference', 'Points at controller configuration.', {
    apiGroup: f('string', 'API group of the object.'),
    kind: f('string', 'Kind of the object.', { req: true }),
    name: f('string', 'Name of the object.', { req: true }),
    scope: f('string', 'Cluster or Namespace.'),
    namespace: f('string', 'Namespace, when scope is Namespace.'),
  }),

  kind('networking.v1.NetworkPolicy', net('NetworkPolicy'), 'Which traffic may reach and leave the pods it selects.', {
    spec: f('networking.v1.NetworkPolicySpec', 'Pods selected and traffic allowed.'),
  }),
  t('networking.v1.NetworkPolicySpec', 'Spec of a NetworkPolicy.', {
    podSelector: f('meta.v1.LabelSelector', 'Pods the policy applies to; empty selects every pod in the namespace.'),
    ingress: f('[]networking.v1.NetworkPolicyIngressRule', 'Allowed incoming traffic.', { list: 'atomic' }),
    egress: f('[]networking.v1.NetworkPolicyEgressRule', 'Allowed outgoing traffic.', { list: 'atomic' }),
    policyTypes: f('[]string', 'Ingress and/or Egress: which directions the policy isolates.', { list: 'atomic' }),
  }),
  t('networking.v1.NetworkPolicyIngressRule', 'Traffic allowed in.', {
    ports: f('[]networking.v1.NetworkPolicyPort', 'Destination ports; empty allows all.', { list: 'atomic' }),
    from: f('[]networking.v1.NetworkPolicyPeer', 'Sources; empty allows all.', { list: 'atomic' }),
  }),
  t('networking.v1.NetworkPolicyEgressRule', 'Traffic allowed out.', {
    ports: f('[]networking.v1.NetworkPolicyPort', 'Destination ports; empty allows all.', { list: 'atomic' }),
    to: f('[]networking.v1.NetworkPolicyPeer', 'Destinations; empty allows all.', { list: 'atomic' }),
  }),
  t('networking.v1.NetworkPolicyPort', 'A port or port range.', {
    protocol: f('string', 'TCP, UDP or SCTP; defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    port: f('intOrString', 'Port number or named port; empty means all ports.'),
    endPort: f('int32', 'Last port of a range that starts at port.'),
  }),
  t('networking.v1.NetworkPolicyPeer', 'Pods, namespaces or an IP block.', {
    podSelector: f('meta.v1.LabelSelector', 'Pods, in the policy namespace unless namespaceSelector is set.'),
    namespaceSelector: f('meta.v1.LabelSelector', 'Namespaces whose pods match.'),
    ipBlock: f('networking.v1.IPBlock', 'A CIDR, less exceptions.'),
  }),
  t('networking.v1.IPBlock', 'An IP range.', {
    cidr: f('string', 'The range.', { req: true }),
    except: f('[]string', 'Sub-ranges left out.', { list: 'atomic' }),
  }),

  kind('discovery.v1.EndpointSlice', { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
    'A subset of the endpoints of a Service.', {
      addressType: f('string', 'IPv4, IPv6 or FQDN.', { req: true, enum: ['FQDN', 'IPv4', 'IPv6'] }),
      endpoints: f('[]discovery.v1.Endpoint', 'The endpoints.', { req: true, list: 'atomic' }),
      ports: f('[]discovery.v1.EndpointPort', 'Ports every endpoint exposes.', { list: 'atomic' }),
    }),
  t('discovery.v1.Endpoint', 'One backend of a Service.', {
    addresses: f('[]string', 'Addresses of the endpoint (one, in practice).', { req: true, list: 'set' }),
    conditions: f('discovery.v1.EndpointConditions', 'Readiness of the endpoint.'),
    hostname: f('string', 'Hostname of the endpoint.'),
    targetRef: f('core.v1.ObjectReference', 'Object (usually a pod) behind the endpoint.'),
    nodeName: f('string', 'Node of the endpoint.'),
    zone: f('string', 'Zone of the endpoint.'),
    hints: f('discovery.v1.EndpointHints', 'Topology-aware routing hints.'),
    deprecatedTopology: f('{}string', 'Deprecated topology labels.'),
  }),
  t('discovery.v1.EndpointConditions', 'Readiness of an endpoint.', {
    ready: f('boolean', 'Ready to receive traffic.'),
    serving: f('boolean', 'Passes readiness, even while terminating.'),
    terminating: f('boolean', 'Shutting down.'),
  }),
  t('discovery.v1.EndpointHints', 'Routing hints.', {
    forZones: f('[]discovery.v1.ForZone', 'Zones that should use the endpoint.', { list: 'atomic' }),
    forNodes: f('[]discovery.v1.ForNode', 'Nodes that should use the endpoint.', { list: 'atomic' }),
  }),
  t('discovery.v1.ForZone', 'A zone hint.', { name: f('string', 'Zone name.', { req: true }) }),
  t('discovery.v1.ForNode', 'A node hint.', { name: f('string', 'Node name.', { req: true }) }),
  t('discovery.v1.EndpointPort', 'One port of an EndpointSlice.', {
    name: f('string', 'Matches the Service port name.'),
    protocol: f('string', 'TCP, UDP or SCTP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    port: f('int32', 'Port number.'),
    appProtocol: f('string', 'Application protocol hint.'),
  }, { atomic: true }),
];
