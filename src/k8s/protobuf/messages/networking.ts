// k8s.io/api networking/v1 Ingress.

export const networkingMessages: Record<string, Record<number, string>> = {
  Ingress: { 1: 'metadata:ObjectMeta', 2: 'spec:IngressSpec', 3: 'status:IngressStatus' },
  IngressSpec: {
    4: 'ingressClassName?', 1: 'defaultBackend?:IngressBackend', 2: 'tls[]:IngressTLS', 3: 'rules[]:IngressRule',
  },
  IngressRule: { 1: 'host', 2: '...:IngressRuleValue' },
  IngressRuleValue: { 1: 'http?:HTTPIngressRuleValue' },
  HTTPIngressRuleValue: { 1: 'paths[]:HTTPIngressPath' },
  HTTPIngressPath: { 1: 'path', 3: 'pathType?', 2: 'backend:IngressBackend' },
  IngressBackend: { 4: 'service?:IngressServiceBackend', 3: 'resource?:TypedLocalObjectReference' },
  IngressServiceBackend: { 1: 'name', 2: 'port:ServiceBackendPort' },
  ServiceBackendPort: { 1: 'name', 2: 'number:int32' },
  IngressTLS: { 1: 'hosts[]', 2: 'secretName' },
  IngressStatus: { 1: 'loadBalancer:IngressLoadBalancerStatus' },
  IngressLoadBalancerStatus: { 1: 'ingress[]:IngressLoadBalancerIngress' },
  IngressLoadBalancerIngress: { 1: 'ip', 2: 'hostname', 4: 'ports[]:IngressPortStatus' },
  IngressPortStatus: { 1: 'port:int32', 2: 'protocol', 3: 'error?' },
};
