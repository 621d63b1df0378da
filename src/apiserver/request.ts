// Request parsing: the URL into a request info (as k8s.io/apiserver's RequestInfoFactory),
// content negotiation for answers (JSON or Table), and request bodies into plain objects
// (JSON, YAML for server-side apply, Protobuf from kubectl's typed clients).

import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../lib/errors.ts';
import { findResource } from '../k8s/resources.ts';
import type { ResourceInfo } from '../k8s/resources.ts';
import { decodeProtobufObject } from '../k8s/protobuf/index.ts';

export interface ResourceRequest {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The group/version from the URL, e.g. 'apps/v1', '' group for core. */
  group: string;
  version: string;
}

/**
 * /api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]], /api/v1/{resource}[/{name}[/{sub}]],
 * /apis/{group}/{version}/... ; `namespaces/{name}/{sub}` is the namespace object itself.
 */
export function parseResourcePath(path: string): ResourceRequest | undefined | 'unknown-resource' {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2 && group === '') {
    // GET /api/v1/namespaces/{name}
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length) return 'unknown-resource';
  const info = findResource(group, version, resource);
  if (!info) return 'unknown-resource';
  if (namespace !== undefined && !info.namespaced) {
    // /api/v1/namespaces/{name}/{status|finalize} addresses a namespace, not a namespaced resource.
    if (resource === 'status' || resource === 'finalize') return undefined;
    return 'unknown-resource';
  }
  if (subresource && !info.subresources.some((s) => s.name === subresource)) return 'unknown-resource';
  return { info, namespace, name, subresource, group, version };
}

/** The special case `/api/v1/namespaces/{name}/{status|finalize}`. */
export function parseNamespaceSubresource(path: string): ResourceRequest | undefined {
  const m = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/(status|finalize)$/);
  if (!m) return undefined;
  return { info: findResource('', 'v1', 'namespaces')!, name: decodeURIComponent(m[1]), subresource: m[2], group: '', version: 'v1' };
}

export type AnswerFormat = 'json' | 'table';

/** kubectl asks `application/json;as=Table;v=v1;g=meta.k8s.io,...,application/json` for `get`. */
export function answerFormat(accept: string | undefined): AnswerFormat {
  if (!accept) return 'json';
  for (const raw of accept.split(',')) {
    const [type, ...params] = raw.trim().split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=') as [string, string]));
    if (type === 'application/json' && p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) return 'table';
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'json';
    if (type === 'application/vnd.kubernetes.protobuf' || type === 'application/yaml') continue;
  }
  return 'json';
}

export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (body.length === 0) return undefined;
  switch (type) {
    case 'application/json':
    case 'application/json-patch+json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
      try {
        return JSON.parse(body.toString('utf8'));
      } catch (err) {
        throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${(err as Error).message})`);
      }
    case 'application/yaml':
    case 'application/apply-patch+yaml':
      try {
        return parseYaml(body.toString('utf8'));
      } catch (err) {
        throw badRequest(`error decoding YAML: ${(err as Error).message}`);
      }
    case 'application/vnd.kubernetes.protobuf':
      return decodeProtobufObject(new Uint8Array(body.buffer, body.byteOffset, body.length));
    default:
      throw new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (!v) return 'Warn'; // kube-apiserver's default when the client does not say
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}; valid values are Ignore, Warn and Strict`);
}

export function dryRunOf(q: URLSearchParams): boolean {
  const all = q.getAll('dryRun');
  for (const v of all) if (v !== 'All') throw badRequest(`Invalid dryRun parameter: ${v}; only "All" is supported`);
  return all.length > 0;
}
