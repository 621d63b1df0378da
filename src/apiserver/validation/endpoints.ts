// EndpointSlice (k/k pkg/apis/discovery/validation) and core/v1 Endpoints validation.

import type { FieldError } from '../../lib/field-errors.ts';
import { duplicate, invalidValue, notSupported, required } from '../../lib/field-errors.ts';
import { asArray, immutable, isObject, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { dns1123LabelErrors, dns1123SubdomainErrors, each, ipFamilyOf, nameIsDNSSubdomain, qualifiedNameErrors, validateIP, validateLabels } from './names.ts';
import { PROTOCOLS, validateNonSpecialIP } from './net-checks.ts';
import { portNumErrors } from './names.ts';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_TOPOLOGY_LABELS = 16;

const tooMany = (field: string, value: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field, value, max });

function fqdnErrors(address: string, field: string): FieldError[] {
  if (!address) return [required(field)];
  const name = address.replace(/\.$/, '');
  const msgs = dns1123SubdomainErrors(name);
  if (msgs.length) return [invalidValue(field, name, msgs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [invalidValue(field, name, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = dns1123LabelErrors(l);
    if (e.length) return [invalidValue(field, l, e.join(','))];
  }
  return [];
}

function validateSliceEndpoints(endpoints: unknown, addressType: string): FieldError[] {
  const list = asArray(endpoints);
  if (list.length > MAX_ENDPOINTS) return [tooMany('endpoints', list.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  list.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addrs = asArray<string>(ep?.addresses);
    if (addrs.length === 0) errs.push(required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(tooMany(`${p}.addresses`, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => {
      const f = `${p}.addresses[${j}]`;
      if (addressType === 'IPv4' || addressType === 'IPv6') {
        if (ipFamilyOf(a) !== addressType) errs.push(invalidValue(f, a, `must be a valid ${addressType} address`));
        else errs.push(...validateNonSpecialIP(a, f));
      } else if (addressType === 'FQDN') {
        errs.push(...fqdnErrors(String(a), f));
      }
    });
    const topology = ep?.deprecatedTopology;
    if (isObject(topology) && Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errs.push(tooMany(`${p}.deprecatedTopology`, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, `${p}.deprecatedTopology`));
    if (ep?.hostname != null) errs.push(...each(`${p}.hostname`, ep.hostname, dns1123LabelErrors(String(ep.hostname))));
    if (ep?.nodeName) errs.push(...each(`${p}.nodeName`, ep.nodeName, nameIsDNSSubdomain(String(ep.nodeName), false)));
  });
  return errs;
}

function validateSlicePorts(ports: unknown): FieldError[] {
  const list = asArray(ports);
  if (list.length > MAX_PORTS) return [tooMany('ports', list.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = String(port?.name ?? '');
    if (name) errs.push(...each(`${p}.name`, name, dns1123LabelErrors(name)));
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (!port?.protocol) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    if (port?.appProtocol != null) errs.push(...each(`${p}.appProtocol`, port.appProtocol, qualifiedNameErrors(String(port.appProtocol))));
  });
  return errs;
}

export function validateEndpointSlice(es: any, old?: any): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(es.metadata, old.metadata) : [];
  errs.push(...validateObjectMeta(es.metadata, true, nameIsDNSSubdomain));
  // The deprecated "IP" type is accepted only on objects that already use it.
  const valid = old ? [...ADDRESS_TYPES, 'IP'].sort() : ADDRESS_TYPES;
  if (!es.addressType) errs.push(required('addressType'));
  else if (!valid.includes(es.addressType)) errs.push(notSupported('addressType', es.addressType, valid));
  errs.push(...validateSliceEndpoints(es.endpoints, es.addressType));
  errs.push(...validateSlicePorts(es.ports));
  if (old) errs.push(...immutable(es.addressType, old.addressType, 'addressType'));
  return errs;
}

// ---- core/v1 Endpoints -------------------------------------------------------------------

function validateEndpointAddress(a: any, field: string): FieldError[] {
  const errs = validateIP(`${field}.ip`, a?.ip ?? '');
  if (a?.hostname) errs.push(...each(`${field}.hostname`, a.hostname, dns1123LabelErrors(String(a.hostname))));
  if (a?.nodeName != null) errs.push(...each(`${field}.nodeName`, a.nodeName, nameIsDNSSubdomain(String(a.nodeName), false)));
  errs.push(...validateNonSpecialIP(a?.ip ?? '', `${field}.ip`));
  return errs;
}

export function validateEndpoints(ep: any, old?: any): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(ep.metadata, old.metadata) : [];
  errs.push(...validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain));
  asArray(ep.subsets).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    if (asArray(ss?.addresses).length === 0 && asArray(ss?.notReadyAddresses).length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    asArray(ss?.addresses).forEach((a, j) => errs.push(...validateEndpointAddress(a, `${p}.addresses[${j}]`)));
    asArray(ss?.notReadyAddresses).forEach((a, j) => errs.push(...validateEndpointAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports = asArray(ss?.ports);
    ports.forEach((port, j) => {
      const f = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port?.name) errs.push(required(`${f}.name`));
      else if (port?.name) errs.push(...each(`${f}.name`, port.name, dns1123LabelErrors(String(port.name))));
      errs.push(...each(`${f}.port`, port?.port ?? 0, portNumErrors(Number(port?.port ?? 0))));
      if (!port?.protocol) errs.push(required(`${f}.protocol`));
      else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${f}.protocol`, port.protocol, PROTOCOLS));
      if (port?.appProtocol != null) errs.push(...each(`${f}.appProtocol`, port.appProtocol, qualifiedNameErrors(String(port.appProtocol))));
    });
  });
  return errs;
}
