// Container-level checks of a PodSpec (k/k validateContainers, validateInitContainers,
// validateContainerCommon, validateProbe, validateHandler, validateContainerPorts, ValidateEnv).

import type { FieldError } from '../../lib/field-errors.ts';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../../lib/field-errors.ts';
import { asArray, isObject, nonNegative } from './meta.ts';
import {
  configMapKeyErrors, dns1123LabelErrors, each, envVarNameErrors, httpHeaderNameErrors, inclusiveRangeError,
  nameIsDNSSubdomain, portNameErrors, portNumErrors,
} from './names.ts';
import { PROTOCOLS, validatePortNumOrName } from './net-checks.ts';

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const NOT_WITHOUT_RESTART = 'may not be set for init containers without restartPolicy=Always';

function validateContainerPorts(ports: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(ports).forEach((port, i) => {
    const p = `${field}[${i}]`;
    if (port?.name) {
      const msgs = portNameErrors(String(port.name));
      if (msgs.length) errs.push(...each(`${p}.name`, port.name, msgs));
      else if (names.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      else names.add(port.name);
    }
    if (!port?.containerPort) errs.push(required(`${p}.containerPort`));
    else errs.push(...each(`${p}.containerPort`, port.containerPort, portNumErrors(port.containerPort)));
    if (port?.hostPort) errs.push(...each(`${p}.hostPort`, port.hostPort, portNumErrors(port.hostPort)));
    if (!port?.protocol) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: unknown, envFrom: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(env).forEach((ev, i) => {
    const p = `${field}.env[${i}]`;
    if (!ev?.name) errs.push(required(`${p}.name`));
    else errs.push(...each(`${p}.name`, ev.name, envVarNameErrors(String(ev.name))));
    const from = ev?.valueFrom;
    if (!isObject(from)) return;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObject(from[k]));
    if (sources.length === 0) errs.push(invalidValue(`${p}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(invalidValue(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    else if (sources.length > 1) errs.push(invalidValue(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
    for (const k of ['configMapKeyRef', 'secretKeyRef']) {
      const ref = from[k];
      if (!isObject(ref)) continue;
      errs.push(...each(`${p}.valueFrom.${k}.name`, ref.name ?? '', nameIsDNSSubdomain(String(ref.name ?? ''), false)));
      if (!ref.key) errs.push(required(`${p}.valueFrom.${k}.key`));
      else errs.push(...each(`${p}.valueFrom.${k}.key`, ref.key, configMapKeyErrors(String(ref.key))));
    }
  });
  asArray(envFrom).forEach((ef, i) => {
    const p = `${field}.envFrom[${i}]`;
    if (ef?.prefix) errs.push(...each(`${p}.prefix`, ef.prefix, envVarNameErrors(String(ef.prefix))));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isObject(ef?.[k]));
    for (const k of refs) {
      if (!ef[k].name) errs.push(required(`${p}.${k}.name`));
      else errs.push(...each(`${p}.${k}.name`, ef[k].name, nameIsDNSSubdomain(String(ef[k].name), true)));
    }
    if (refs.length === 0) errs.push(invalidValue(`${field}.envFrom`, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(invalidValue(`${field}.envFrom`, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

/** Exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep (lifecycle hooks). */
function validateHandler(h: any, allowed: string[], gracePeriod: number | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of HANDLERS) {
    if (!allowed.includes(kind) || !isObject(h?.[kind])) continue;
    const p = `${field}.${kind}`;
    if (n > 0) { errs.push(forbiddenField(p, 'may not specify more than 1 handler type')); continue; }
    n++;
    const a = h[kind];
    if (kind === 'exec' && asArray(a.command).length === 0) errs.push(required(`${p}.command`));
    if (kind === 'httpGet') {
      if (!a.path) errs.push(required(`${p}.path`));
      errs.push(...validatePortNumOrName(a.port, `${p}.port`));
      if (!['HTTP', 'HTTPS'].includes(a.scheme)) errs.push(notSupported(`${p}.scheme`, a.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const hdr of asArray(a.httpHeaders)) errs.push(...each(`${p}.httpHeaders`, hdr?.name ?? '', httpHeaderNameErrors(String(hdr?.name ?? ''))));
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(a.port, `${p}.port`));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(Number(a.port ?? 0), `${p}.port`));
    if (kind === 'sleep' && gracePeriod !== undefined && (typeof a.seconds !== 'number' || a.seconds < 0 || a.seconds > gracePeriod)) {
      errs.push(invalidValue(p, a.seconds ?? 0, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
    }
  }
  if (n === 0) errs.push(required(field, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: any, kind: 'liveness' | 'readiness' | 'startup', gracePeriod: number | undefined, field: string): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandler(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], gracePeriod, field);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(probe[k], `${field}.${k}`));
  }
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalidValue(`${field}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && probe.successThreshold !== 1) errs.push(invalidValue(`${field}.successThreshold`, probe.successThreshold ?? 0, 'must be 1'));
  if (kind === 'readiness' && probe.terminationGracePeriodSeconds != null) {
    errs.push(invalidValue(`${field}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycle(lc: any, gracePeriod: number | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    if (isObject(lc?.[hook])) errs.push(...validateHandler(lc[hook], ['exec', 'httpGet', 'tcpSocket', 'sleep'], gracePeriod, `${field}.${hook}`));
  }
  return errs;
}

function validateContainerCommon(c: any, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c?.name) errs.push(required(`${field}.name`));
  else errs.push(...each(`${field}.name`, c.name, dns1123LabelErrors(String(c.name))));
  if (!c?.image) errs.push(required(`${field}.image`));
  const tmp = c?.terminationMessagePolicy;
  if (!tmp) errs.push(required(`${field}.terminationMessagePolicy`));
  else if (!['File', 'FallbackToLogsOnError'].includes(tmp)) errs.push(notSupported(`${field}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c?.ports, `${field}.ports`));
  errs.push(...validateEnv(c?.env, c?.envFrom, field));
  const mountPaths = new Set<string>();
  asArray(c?.volumeMounts).forEach((m, i) => {
    const p = `${field}.volumeMounts[${i}]`;
    if (!m?.name) errs.push(required(`${p}.name`));
    // Upstream reports an unknown volume as `Not found`; FieldError has no such type yet.
    else if (!volumes.has(m.name)) errs.push(invalidValue(`${p}.name`, m.name, 'must match the name of a volume'));
    if (!m?.mountPath) errs.push(required(`${p}.mountPath`));
    else if (mountPaths.has(m.mountPath)) errs.push(invalidValue(`${p}.mountPath`, m.mountPath, 'must be unique'));
    if (m?.mountPath) mountPaths.add(m.mountPath);
  });
  const pull = c?.imagePullPolicy;
  if (!pull) errs.push(required(`${field}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${field}.imagePullPolicy`, pull, PULL_POLICIES));
  const sc = c?.securityContext;
  for (const k of ['runAsUser', 'runAsGroup']) {
    if (typeof sc?.[k] === 'number' && (sc[k] < 0 || sc[k] > 2147483647)) errs.push(invalidValue(`${field}.securityContext.${k}`, sc[k], inclusiveRangeError(0, 2147483647)));
  }
  return errs;
}

/** hostPort conflicts: `<protocol>/<hostIP>/<hostPort>` must be unique across the list. */
function hostPortConflicts(containers: any[], field: string, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => asArray(c?.ports).forEach((p, pi) => {
    if (!p?.hostPort) return;
    const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
    if (seen.has(key)) errs.push(duplicate(`${field}[${ci}].ports[${pi}].hostPort`, key));
    seen.add(key);
  }));
  return errs;
}

export function validateContainers(spec: any, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const containers = asArray(spec.containers);
  if (containers.length === 0) errs.push(required(`${field}.containers`));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${field}.containers[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(c?.name)) errs.push(duplicate(`${p}.name`, c?.name));
    else names.add(c?.name);
    if (isObject(c?.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, grace, `${p}.lifecycle`));
    errs.push(...validateProbe(c?.livenessProbe, 'liveness', grace, `${p}.livenessProbe`));
    errs.push(...validateProbe(c?.readinessProbe, 'readiness', grace, `${p}.readinessProbe`));
    errs.push(...validateProbe(c?.startupProbe, 'startup', grace, `${p}.startupProbe`));
    if (c?.restartPolicy != null) errs.push(forbiddenField(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(containers, `${field}.containers`));

  asArray(spec.initContainers).forEach((c, i) => {
    const p = `${field}.initContainers[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    const sidecar = c?.restartPolicy === 'Always';
    if (c?.restartPolicy != null && !sidecar) errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    if (names.has(c?.name)) errs.push(duplicate(`${p}.name`, c?.name));
    else if (c?.name) names.add(c.name);
    errs.push(...hostPortConflicts([c], `${field}.initContainers`));
    if (sidecar) {
      if (isObject(c.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, grace, `${p}.lifecycle`));
      errs.push(...validateProbe(c.livenessProbe, 'liveness', grace, `${p}.livenessProbe`));
      errs.push(...validateProbe(c.readinessProbe, 'readiness', grace, `${p}.readinessProbe`));
      errs.push(...validateProbe(c.startupProbe, 'startup', grace, `${p}.startupProbe`));
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c?.[k] != null) errs.push(forbiddenField(`${p}.${k}`, NOT_WITHOUT_RESTART));
      }
    }
  });
  return errs;
}
