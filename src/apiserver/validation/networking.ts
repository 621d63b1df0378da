// Ingress, IngressClass and NetworkPolicy validation (k/k pkg/apis/networking/validation).

import type { FieldError } from '../../lib/field-errors.ts';
import { forbiddenField, invalidValue, notSupported, required, tooLong } from '../../lib/field-errors.ts';
import { asArray, immutable, isObject, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import {
  dns1123SubdomainErrors, each, ipFamilyOf, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, portNameErrors,
  portNumErrors, validateCIDR, wildcardDNS1123SubdomainErrors, cidrContains, isValidCIDR,
} from './names.ts';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

// ---- Ingress ---------------------------------------------------------------------------

function validateBackend(b: any, field: string): FieldError[] {
  const hasResource = isObject(b?.resource);
  const hasService = isObject(b?.service);
  if (hasResource && hasService) return [invalidValue(field, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = b.resource;
    const errs: FieldError[] = [];
    if (r.apiGroup != null) errs.push(...each(`${field}.resource.apiGroup`, r.apiGroup, dns1123SubdomainErrors(String(r.apiGroup))));
    if (!r.kind) errs.push(required(`${field}.resource.kind`));
    if (!r.name) errs.push(required(`${field}.resource.name`));
    return errs;
  }
  if (!hasService) return [invalidValue(field, '', 'resource or service backend is required')];
  const svc = b.service;
  const errs: FieldError[] = [];
  if (!svc.name) errs.push(required(`${field}.service.name`));
  else errs.push(...each(`${field}.service.name`, svc.name, nameIsDNS1035Label(String(svc.name), false)));
  const name = svc.port?.name ?? '';
  const number = svc.port?.number ?? 0;
  if (name && number) errs.push(invalidValue(field, '', 'cannot set both port name & port number'));
  else if (name) errs.push(...each(`${field}.service.port.name`, name, portNameErrors(String(name))));
  else if (number) errs.push(...each(`${field}.service.port.number`, number, portNumErrors(number)));
  else errs.push(required(field, 'port name or number is required'));
  return errs;
}

function validatePath(path: any, field: string): FieldError[] {
  if (!path?.pathType) return [required(`${field}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const p = typeof path.path === 'string' ? path.path : '';
  switch (path.pathType) {
    case 'Exact': case 'Prefix':
      if (!p.startsWith('/')) errs.push(invalidValue(`${field}.path`, p, 'must be an absolute path'));
      if (p) {
        for (const seq of INVALID_PATH_SEQUENCES) if (p.includes(seq)) errs.push(invalidValue(`${field}.path`, p, `must not contain '${seq}'`));
        for (const suf of INVALID_PATH_SUFFIXES) if (p.endsWith(suf)) errs.push(invalidValue(`${field}.path`, p, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (p && !p.startsWith('/')) errs.push(invalidValue(`${field}.path`, p, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(`${field}.pathType`, path.pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(path.backend, `${field}.backend`));
  return errs;
}

function hostErrors(host: string, field: string): FieldError[] {
  if (host.includes('*')) return each(field, host, wildcardDNS1123SubdomainErrors(host));
  return each(field, host, dns1123SubdomainErrors(host));
}

export function validateIngress(ing: any): FieldError[] {
  const errs = validateObjectMeta(ing.metadata, true, nameIsDNSSubdomain);
  const spec = isObject(ing.spec) ? ing.spec : {};
  const rules = asArray(spec.rules);
  if (rules.length === 0 && spec.defaultBackend == null) errs.push(invalidValue('spec', rules, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend != null) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const p = `spec.rules[${i}]`;
    if (r?.host) {
      if (ipFamilyOf(r.host)) errs.push(invalidValue(`${p}.host`, r.host, 'must be a DNS name, not an IP address'));
      errs.push(...hostErrors(String(r.host), `${p}.host`));
    }
    if (isObject(r?.http)) {
      const paths = asArray(r.http.paths);
      if (paths.length === 0) errs.push(required(`${p}.http.paths`));
      paths.forEach((path, j) => errs.push(...validatePath(path, `${p}.http.paths[${j}]`)));
    }
  });
  asArray(spec.tls).forEach((t, i) => {
    asArray<string>(t?.hosts).forEach((h, j) => errs.push(...hostErrors(String(h), `spec.tls[${i}].hosts[${j}]`)));
    if (t?.secretName) errs.push(...each(`spec.tls[${i}].secretName`, t.secretName, nameIsDNSSubdomain(String(t.secretName), false)));
  });
  if (spec.ingressClassName != null) {
    errs.push(...each('spec.ingressClassName', spec.ingressClassName, nameIsDNSSubdomain(String(spec.ingressClassName), false)));
  }
  return errs;
}

export function validateIngressCreate(ing: any): FieldError[] {
  const errs = validateIngress(ing);
  const annotation = ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
  const className = ing.spec?.ingressClassName;
  if (annotation != null && className != null && annotation !== className) {
    errs.push(invalidValue('annotations.kubernetes.io/ingress.class', annotation, 'must match `ingressClassName` when both are specified'));
  }
  return errs;
}

export function validateIngressStatus(ing: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(ing.metadata, old.metadata);
  asArray(ing.status?.loadBalancer?.ingress).forEach((x, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    if (x?.ip && !ipFamilyOf(x.ip)) errs.push(invalidValue(`${p}.ip`, x.ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    if (x?.hostname) {
      errs.push(...each(`${p}.hostname`, x.hostname, dns1123SubdomainErrors(x.hostname)));
      if (ipFamilyOf(x.hostname)) errs.push(invalidValue(`${p}.hostname`, x.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

// ---- IngressClass ----------------------------------------------------------------------

export function validateIngressClass(ic: any): FieldError[] {
  const errs = validateObjectMeta(ic.metadata, false, nameIsDNSSubdomain);
  const controller = String(ic.spec?.controller ?? '');
  if (!controller) {
    errs.push(required('spec.controller'));
  } else {
    if (controller.length > 250) errs.push(tooLong('spec.controller', '', 250));
    errs.push(...domainPrefixedPathErrors(controller, 'spec.controller'));
  }
  const params = ic.spec?.parameters;
  if (isObject(params)) {
    const p = 'spec.parameters';
    if (params.apiGroup != null) errs.push(...each(`${p}.apiGroup`, params.apiGroup, dns1123SubdomainErrors(String(params.apiGroup))));
    if (!params.kind) errs.push(required(`${p}.kind`));
    if (!params.name) errs.push(required(`${p}.name`));
    if (params.scope == null) {
      errs.push(required(`${p}.scope`));
    } else if (!['Cluster', 'Namespace'].includes(params.scope)) {
      errs.push(notSupported(`${p}.scope`, params.scope, ['Cluster', 'Namespace']));
    } else if (params.scope === 'Namespace') {
      if (params.namespace == null) errs.push(required(`${p}.namespace`, "`parameters.scope` is set to 'Namespace'"));
      else errs.push(...each(`${p}.namespace`, params.namespace, nameIsDNSLabel(String(params.namespace), false)));
    } else if (params.namespace != null) {
      errs.push(forbiddenField(`${p}.namespace`, "`parameters.scope` is set to 'Cluster'"));
    }
  }
  return errs;
}

/** IsDomainPrefixedPath: `example.com/controller`. */
function domainPrefixedPathErrors(value: string, field: string): FieldError[] {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return [invalidValue(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const path = value.slice(slash + 1);
  const errs = dns1123SubdomainErrors(host).map((m) => invalidValue(field, host, m));
  if (!new RegExp(`^${HTTP_PATH_FMT}$`).test(path)) errs.push(invalidValue(field, path, `Invalid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

export function validateIngressClassUpdate(ic: any, old: any): FieldError[] {
  return [
    ...validateObjectMetaUpdate(ic.metadata, old.metadata),
    ...immutable(ic.spec?.controller, old.spec?.controller, 'spec.controller'),
    ...validateIngressClass(ic),
  ];
}

// ---- NetworkPolicy ---------------------------------------------------------------------

function validatePolicyPort(port: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port?.protocol != null && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) {
    errs.push(notSupported(`${field}.protocol`, port.protocol, ['TCP', 'UDP', 'SCTP']));
  }
  if (port?.port != null) {
    if (typeof port.port === 'number') {
      errs.push(...each(`${field}.port`, port.port, portNumErrors(port.port)));
      if (port.endPort != null) {
        if (port.endPort < port.port) errs.push(invalidValue(`${field}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
        errs.push(...each(`${field}.endPort`, port.endPort, portNumErrors(port.endPort)));
      }
    } else {
      if (port.endPort != null) errs.push(invalidValue(`${field}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
      errs.push(...each(`${field}.port`, port.port, portNameErrors(String(port.port))));
    }
  } else if (port?.endPort != null) {
    errs.push(invalidValue(`${field}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validateIPBlock(ipb: any, field: string): FieldError[] {
  if (!ipb?.cidr) return [required(`${field}.cidr`)];
  const errs = validateCIDR(`${field}.cidr`, ipb.cidr);
  if (errs.length) return errs;
  asArray<string>(ipb.except).forEach((ex, i) => {
    const p = `${field}.except[${i}]`;
    const e = validateCIDR(p, ex);
    errs.push(...e);
    if (e.length || !isValidCIDR(ex)) return;
    const { contains, outerBits, innerBits } = cidrContains(ipb.cidr, ex);
    if (!contains || outerBits >= innerBits) errs.push(invalidValue(p, ex, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (isObject(peer?.podSelector)) { n++; errs.push(...validateLabelSelector(peer.podSelector, `${field}.podSelector`)); }
  if (isObject(peer?.namespaceSelector)) { n++; errs.push(...validateLabelSelector(peer.namespaceSelector, `${field}.namespaceSelector`)); }
  if (isObject(peer?.ipBlock)) { n++; errs.push(...validateIPBlock(peer.ipBlock, `${field}.ipBlock`)); }
  if (n === 0) errs.push(required(field, 'must specify a peer'));
  else if (n > 1 && isObject(peer.ipBlock)) errs.push(forbiddenField(field, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(np: any): FieldError[] {
  const errs = validateObjectMeta(np.metadata, true, nameIsDNSSubdomain);
  const spec = isObject(np.spec) ? np.spec : {};
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    asArray(spec[dir]).forEach((rule, i) => {
      const p = `spec.${dir}[${i}]`;
      asArray(rule?.ports).forEach((port, j) => errs.push(...validatePolicyPort(port, `${p}.ports[${j}]`)));
      asArray(rule?.[peers]).forEach((peer, j) => errs.push(...validatePeer(peer, `${p}.${peers}[${j}]`)));
    });
  }
  const types = asArray<string>(spec.policyTypes);
  if (types.length > 2) {
    errs.push(invalidValue('spec.policyTypes', types, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errs;
}
