// Service validation (k/k pkg/apis/core/validation ValidateService / ValidateServiceUpdate)
// and the registry strategy's update preparation (patchAllocatedValues, NormalizeClusterIPs,
// dropTypeDependentFields). ClusterIP and NodePort allocation are the server's job, not ours:
// here only formats and combinations are checked.

import type { FieldError } from '../../lib/field-errors.ts';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../../lib/field-errors.ts';
import { asArray, deepEqual, isObject, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import {
  dns1123LabelErrors, dns1123SubdomainErrors, each, ipFamilyOf, nameIsDNS1035Label, portNameErrors, portNumErrors,
  qualifiedNameErrors, validateCIDR, validateIP, validateLabels,
} from './names.ts';
import { externallyAccessible, isHeadless, needsClusterIP, needsHealthCheck, needsNodePort } from './service-types.ts';
import { PROTOCOLS, validateNonSpecialIP, validatePortNumOrName } from './net-checks.ts';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const MAX_AFFINITY_SECONDS = 86400;

function validateServicePort(sp: any, requireName: boolean, names: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(sp?.name ?? '');
  if (requireName && !name) errs.push(required(`${field}.name`));
  else if (name) {
    errs.push(...each(`${field}.name`, name, dns1123LabelErrors(name)));
    if (names.has(name)) errs.push(duplicate(`${field}.name`, name));
    else names.add(name);
  }
  errs.push(...each(`${field}.port`, sp?.port ?? 0, portNumErrors(Number(sp?.port ?? 0))));
  if (!sp?.protocol) errs.push(required(`${field}.protocol`));
  else if (!PROTOCOLS.includes(sp.protocol)) errs.push(notSupported(`${field}.protocol`, sp.protocol, PROTOCOLS));
  errs.push(...validatePortNumOrName(sp?.targetPort, `${field}.targetPort`));
  if (typeof sp?.appProtocol === 'string') errs.push(...each(`${field}.appProtocol`, sp.appProtocol, qualifiedNameErrors(sp.appProtocol)));
  return errs;
}

function validateClusterIPFields(spec: any): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = asArray<string>(spec.clusterIPs);
  const families = asArray<string>(spec.ipFamilies);
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(invalidValue('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(invalidValue('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy != null && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(invalidValue('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(`spec.clusterIPs[${i}]`, ip);
    if (e.length) invalidIPs = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(invalidValue('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (ips.length > 1 && ipFamilyOf(ips[0]) === ipFamilyOf(ips[1])) {
    errs.push(invalidValue('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(spec) && ips.length && families.length) {
    ips.forEach((ip, i) => {
      if (i >= families.length) return;
      if (families[i] === 'IPv4' && ipFamilyOf(ip) === 'IPv6') errs.push(invalidValue(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && ipFamilyOf(ip) !== 'IPv6') errs.push(invalidValue(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateServiceSpec(svc: any): FieldError[] {
  const spec = isObject(svc.spec) ? svc.spec : {};
  const errs: FieldError[] = [];
  const ports = asArray(spec.ports);
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  if (spec.type === 'LoadBalancer' && headless) errs.push(invalidValue('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
  if (spec.type === 'NodePort' && headless) errs.push(invalidValue('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
  if (spec.type === 'ExternalName') {
    if (asArray(spec.clusterIPs).length) errs.push(forbiddenField('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (asArray(spec.ipFamilies).length) errs.push(forbiddenField('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy != null) errs.push(forbiddenField('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    // A CNAME may carry a trailing dot to mark it fully qualified.
    const cname = String(spec.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...each('spec.externalName', cname, dns1123SubdomainErrors(cname)));
    else errs.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, 'spec.selector'));

  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!['ClientIP', 'None'].includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  if (spec.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinity(spec.sessionAffinityConfig));
  else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig != null) {
    errs.push(forbiddenField('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPFields(spec));
  asArray<string>(spec.externalIPs).forEach((ip, i) => {
    const e = validateIP(`spec.externalIPs[${i}]`, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(ip, `spec.externalIPs[${i}]`)));
  });
  if (!spec.type) errs.push(required('spec.type'));
  else if (!TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, TYPES));

  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => { if (p?.nodePort) errs.push(forbiddenField(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'")); });
  }
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    if (p?.nodePort) {
      const k = `${p.protocol}/${p.nodePort}`;
      if (nodePorts.has(k)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(k);
    }
    const k = `${p?.protocol}/${p?.port}`;
    if (portKeys.has(k)) errs.push(duplicate(`spec.ports[${i}]`, { port: p?.port, protocol: p?.protocol }));
    portKeys.add(k);
  });

  const ranges = asArray<string>(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    if (spec.type !== 'LoadBalancer') errs.push(forbiddenField('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validateCIDR(`spec.LoadBalancerSourceRanges[${i}]`, String(r).trim())));
  }
  if (spec.allocateLoadBalancerNodePorts != null && spec.type !== 'LoadBalancer') {
    errs.push(forbiddenField('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  // Upstream reports this one without the `spec.` prefix.
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) errs.push(required('allocateLoadBalancerNodePorts'));
  if (spec.loadBalancerClass != null) {
    if (spec.type === 'LoadBalancer') errs.push(...each('spec.loadBalancerClass', spec.loadBalancerClass, qualifiedNameErrors(String(spec.loadBalancerClass))));
    else errs.push(forbiddenField('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}

function validateClientIPAffinity(config: any): FieldError[] {
  const p = 'spec.sessionAffinityConfig';
  const why = 'when session affinity type is ClientIP';
  if (!isObject(config)) return [required(p, why)];
  if (!isObject(config.clientIP)) return [required(`${p}.clientIP`, why)];
  const t = config.clientIP.timeoutSeconds;
  if (typeof t !== 'number') return [required(`${p}.clientIP.timeoutSeconds`, why)];
  if (t <= 0 || t > MAX_AFFINITY_SECONDS) return [invalidValue(`${p}.clientIP.timeoutSeconds`, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  return [];
}

function validateTrafficPolicies(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(invalidValue('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  const hc = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(spec)) {
    if (hc) errs.push(invalidValue('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (!hc) {
    // Allocated right after validation when absent (upstream allocates before validating, so
    // users never see it required).
  } else {
    errs.push(...each('spec.healthCheckNodePort', hc, portNumErrors(hc)));
  }
  if (spec.internalTrafficPolicy == null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) errs.push(required('spec.internalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (spec.trafficDistribution != null && spec.trafficDistribution !== 'PreferClose') {
    errs.push(notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

export function validateService(svc: any): FieldError[] {
  return [...validateObjectMeta(svc.metadata, true, nameIsDNS1035Label), ...validateServiceSpec(svc)];
}

/** Dual-stack upgrade/downgrade rules: the primary clusterIP and ipFamily never change. */
function validateClusterIPsUpdate(spec: any, oldSpec: any): FieldError[] {
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(oldSpec)) return [];
  const errs: FieldError[] = [];
  const ips = asArray<string>(spec.clusterIPs);
  const oldIPs = asArray<string>(oldSpec.clusterIPs);
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => { if (ip !== ips[i]) errs.push(invalidValue(`spec.clusterIPs[${i}]`, ips, 'may not change once set')); });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalidValue('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
    if (ips.length > 0 && ips[0] !== oldIPs[0]) errs.push(invalidValue('spec.clusterIPs[0]', ips, 'may not change once set'));
    if (ips.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalidValue('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalidValue('spec.clusterIPs[0]', ips, 'may not change once set'));
  }
  if (isHeadless(spec) !== isHeadless(oldSpec) || isHeadless(spec)) return errs;
  const fams = asArray<string>(spec.ipFamilies);
  const oldFams = asArray<string>(oldSpec.ipFamilies);
  if (oldFams.length === fams.length) {
    if (oldFams.some((f, i) => f !== fams[i])) errs.push(invalidValue('spec.ipFamilies[0]', fams, 'may not change once set'));
  } else if (oldFams.length > fams.length) {
    if (ips.length === 0) errs.push(invalidValue('spec.ipFamilies[0]', fams, 'primary ipFamily can not be unset'));
    if (fams.length > 0 && fams[0] !== oldFams[0]) errs.push(invalidValue('spec.ipFamilies[0]', ips, 'may not change once set'));
    if (fams.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalidValue('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFams.length > 0 && fams.length > 0 && fams[0] !== oldFams[0]) {
    errs.push(invalidValue('spec.ipFamilies[0]', ips, 'may not change once set'));
  }
  return errs;
}

export function validateServiceUpdate(svc: any, old: any): FieldError[] {
  const spec = isObject(svc.spec) ? svc.spec : {};
  const oldSpec = isObject(old.spec) ? old.spec : {};
  const errs = [...validateObjectMetaUpdate(svc.metadata, old.metadata), ...validateClusterIPsUpdate(spec, oldSpec)];
  if (spec.type === 'LoadBalancer' && oldSpec.type === 'LoadBalancer' && (spec.loadBalancerClass ?? null) !== (oldSpec.loadBalancerClass ?? null)) {
    errs.push(invalidValue('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHealthCheck(spec) && needsHealthCheck(oldSpec) && (spec.healthCheckNodePort ?? 0) !== (oldSpec.healthCheckNodePort ?? 0)) {
    errs.push(forbiddenField('spec.healthCheckNodePort', 'field is immutable'));
  }
  return [...errs, ...validateService(svc)];
}

export function validateServiceStatus(svc: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata);
  const type = svc.spec?.type;
  asArray(svc.status?.loadBalancer?.ingress).forEach((ing, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    if (type !== 'LoadBalancer') return;
    if (ing?.ip) errs.push(...validateIP(`${p}.ip`, ing.ip));
    if (ing?.ip && ing.ipMode == null) errs.push(required(`${p}.ipMode`, 'must be specified when `ip` is set'));
    else if (ing?.ipMode != null && !ing?.ip) errs.push(forbiddenField(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
    else if (ing?.ipMode != null && !['Proxy', 'VIP'].includes(ing.ipMode)) errs.push(notSupported(`${p}.ipMode`, ing.ipMode, ['Proxy', 'VIP']));
    if (ing?.hostname) {
      errs.push(...each(`${p}.hostname`, ing.hostname, dns1123SubdomainErrors(ing.hostname)));
      if (ipFamilyOf(ing.hostname)) errs.push(invalidValue(`${p}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  if (type !== 'LoadBalancer' && asArray(svc.status?.loadBalancer?.ingress).length) {
    errs.push(forbiddenField('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'"));
  }
  return errs;
}

/**
 * What the Service registry strategy does to an update before validation: keep allocated values
 * the client left out (patchAllocatedValues), and drop fields the new type no longer uses when
 * the client did not change them (dropTypeDependentFields), so `type: ExternalName` releases
 * the clusterIP and `type: ClusterIP` releases nodePorts.
 */
export function prepareServiceUpdate(svc: any, old: any): void {
  if (!isObject(svc) || !isObject(old)) return;
  const spec = isObject(svc.spec) ? svc.spec : (svc.spec = {});
  const oldSpec = isObject(old.spec) ? old.spec : {};
  patchAllocatedValues(spec, oldSpec);
  // NormalizeClusterIPs: an old client that sends only `clusterIP` keeps the plural field;
  // one that clears `clusterIP` (and left the plural as it was) clears both.
  if (asArray(spec.clusterIPs).length === 0 && asArray(oldSpec.clusterIPs).length > 0 && spec.clusterIP === oldSpec.clusterIP) {
    spec.clusterIPs = [...oldSpec.clusterIPs];
  }
  if (!spec.clusterIP && oldSpec.clusterIP && deepEqual(spec.clusterIPs ?? [], oldSpec.clusterIPs ?? [])) delete spec.clusterIPs;
  dropTypeDependentFields(svc, spec, oldSpec);
}

function patchAllocatedValues(spec: any, oldSpec: any): void {
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (asArray(spec.clusterIPs).length === 0 && asArray(oldSpec.clusterIPs).length > 0) spec.clusterIPs = [...oldSpec.clusterIPs];
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const used = (ports: any[]) => new Set(ports.map((p) => p?.nodePort).filter((n) => n));
    const newUsed = used(asArray(spec.ports));
    const taken = new Set([...used(asArray(oldSpec.ports))].filter((n) => newUsed.has(n)));
    const byName = new Map<string, number>(asArray(oldSpec.ports).map((p) => [String(p?.name ?? ''), p?.nodePort ?? 0]));
    for (const p of asArray(spec.ports)) {
      if (!isObject(p) || p.nodePort) continue;
      const oldVal = byName.get(String(p.name ?? '')) ?? 0;
      if (oldVal && !taken.has(oldVal)) p.nodePort = oldVal;
    }
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

function dropTypeDependentFields(svc: any, spec: any, oldSpec: any): void {
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if ((spec.clusterIP ?? '') === (oldSpec.clusterIP ?? '') && deepEqual(spec.clusterIPs ?? [], oldSpec.clusterIPs ?? [])) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (deepEqual(spec.ipFamilies ?? [], oldSpec.ipFamilies ?? [])) delete spec.ipFamilies;
    if ((spec.ipFamilyPolicy ?? null) === (oldSpec.ipFamilyPolicy ?? null)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(oldSpec) && !needsNodePort(spec)) {
    // Users may add, remove or edit ports while switching, as long as no net-new nodePort appears.
    const nodePorts = (s: any) => asArray(s.ports).map((p) => p?.nodePort ?? 0).filter((n) => n);
    const oldPorts = new Set(nodePorts(oldSpec));
    if (nodePorts(spec).every((n) => oldPorts.has(n))) {
      for (const p of asArray(spec.ports)) if (isObject(p)) delete p.nodePort;
    }
  }
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec) && (spec.healthCheckNodePort ?? 0) === (oldSpec.healthCheckNodePort ?? 0)) {
    delete spec.healthCheckNodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if ((spec.allocateLoadBalancerNodePorts ?? null) === (oldSpec.allocateLoadBalancerNodePorts ?? null)) delete spec.allocateLoadBalancerNodePorts;
    if ((spec.loadBalancerClass ?? null) === (oldSpec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && (spec.externalTrafficPolicy ?? '') === (oldSpec.externalTrafficPolicy ?? '')) {
    delete spec.externalTrafficPolicy;
  }
  // The load-balancer status goes with the type; de-provisioning is the controller's business.
  if (spec.type !== 'LoadBalancer' && isObject(svc.status)) svc.status.loadBalancer = {};
}
