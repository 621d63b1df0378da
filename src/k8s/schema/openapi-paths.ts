// The path items of one resource in an OpenAPI v3 group-version document, shaped like
// kube-apiserver's: operationIds such as patchCoreV1NamespacedService, x-kubernetes-action,
// x-kubernetes-group-version-kind on every operation, and the query parameters the server
// accepts. kubectl reads only the PATCH operations (fieldValidation support); the rest is for
// other OpenAPI clients.

import type { ResourceInfo } from '../resources.ts';
import type { GroupVersionKind } from './dsl.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export function gvkExtension(gvk: GroupVersionKind): { group: string; kind: string; version: string } {
  return { group: gvk.group, kind: gvk.kind, version: gvk.version };
}

const str = { type: 'string', uniqueItems: true };
const query = (name: string, description: string, schema: object = str) => ({ name, in: 'query', description, schema });
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: str });

const P = {
  name: pathParam('name', 'Name of the object.'),
  namespace: pathParam('namespace', 'Namespace of the objects.'),
  pretty: query('pretty', "If 'true', the output is indented."),
  dryRun: query('dryRun', 'All: run every stage of the request but do not persist the result.'),
  fieldManager: query('fieldManager', 'Name of the actor making the change, for field ownership.'),
  fieldValidation: query('fieldValidation',
    'What to do with unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict.'),
  force: query('force', 'Apply requests only: take ownership of conflicting fields.', { type: 'boolean', uniqueItems: true }),
  gracePeriodSeconds: query('gracePeriodSeconds', 'Seconds before the object is deleted.', { type: 'integer', uniqueItems: true }),
  propagationPolicy: query('propagationPolicy', 'Orphan, Background or Foreground deletion of dependents.'),
  allowWatchBookmarks: query('allowWatchBookmarks', 'Ask for BOOKMARK watch events.', { type: 'boolean', uniqueItems: true }),
  continue: query('continue', 'Token of the next page of a limited list.'),
  fieldSelector: query('fieldSelector', 'Restrict the objects by their fields.'),
  labelSelector: query('labelSelector', 'Restrict the objects by their labels.'),
  limit: query('limit', 'Most objects to return in one page.', { type: 'integer', uniqueItems: true }),
  resourceVersion: query('resourceVersion', 'Resource version the list or watch starts from.'),
  resourceVersionMatch: query('resourceVersionMatch', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  sendInitialEvents: query('sendInitialEvents', 'Start a watch with synthetic ADDED events for the current state.', { type: 'boolean', uniqueItems: true }),
  timeoutSeconds: query('timeoutSeconds', 'Time limit of a list or watch.', { type: 'integer', uniqueItems: true }),
  watch: query('watch', 'Stream changes instead of returning a list.', { type: 'boolean', uniqueItems: true }),
};
const listParams = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit,
  P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];

const MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const body = (schemaName: string, media = MEDIA) => ({
  content: Object.fromEntries(media.map((m) => [m, { schema: { $ref: `#/components/schemas/${schemaName}` } }])),
});
const PATCH_MEDIA = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

function responses(schemaName: string, codes: string[]): object {
  const out: Record<string, object> = {};
  for (const code of codes) out[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', ...body(schemaName) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

function camelGroup(group: string): string {
  const first = group ? group.split('.')[0] : 'core';
  return first.charAt(0).toUpperCase() + first.slice(1);
}

/** The path items of resource `r`; `schemaOf` names the component schema of a GVK. */
export function resourcePaths(r: ResourceInfo, schemaOf: (gvk: GroupVersionKind) => string): Record<string, object> {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const kindSchema = schemaOf(gvk);
  const listSchema = schemaOf({ ...gvk, kind: r.listKind });
  const scope = r.namespaced ? 'Namespaced' : '';
  const id = (verb: string, suffix = '') => `${verb}${camelGroup(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}${scope}${r.kind}${suffix}`;
  const tags = [`${r.group ? r.group.split('.')[0] : 'core'}_${r.version}`];
  const op = (action: string, operationId: string, description: string, extra: object) => ({
    description, operationId, tags, ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvkExtension(gvk),
  });
  const verbs = new Set(r.verbs);
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const scopeParams = r.namespaced ? [P.namespace, P.pretty] : [P.pretty];
  const paths: Record<string, object> = {};

  const coll: Record<string, unknown> = { parameters: scopeParams };
  if (verbs.has('list')) coll.get = op('list', id('list'), `list or watch ${r.kind} objects`, { parameters: listParams, responses: responses(listSchema, ['200']) });
  if (verbs.has('create')) {
    coll.post = op('post', id('create'), `create a ${r.kind}`, {
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { ...body(kindSchema, ['*/*']), required: true },
      responses: responses(kindSchema, ['200', '201', '202']),
    });
  }
  if (verbs.has('deletecollection')) {
    coll.delete = op('deletecollection', id('deleteCollection'), `delete a collection of ${r.kind} objects`, {
      parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy, ...listParams],
      requestBody: body(`${META}DeleteOptions`, ['*/*']),
      responses: responses(`${META}Status`, ['200']),
    });
  }
  paths[collection] = coll;

  const item: Record<string, unknown> = { parameters: [P.name, ...scopeParams] };
  if (verbs.has('get')) item.get = op('get', id('read'), `read the specified ${r.kind}`, { responses: responses(kindSchema, ['200']) });
  if (verbs.has('update')) item.put = writeOp(op, 'put', id('replace'), `replace the specified ${r.kind}`, kindSchema);
  if (verbs.has('patch')) item.patch = patchOp(op, id('patch'), `partially update the specified ${r.kind}`, kindSchema);
  if (verbs.has('delete')) {
    item.delete = op('delete', id('delete'), `delete a ${r.kind}`, {
      parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
      requestBody: body(`${META}DeleteOptions`, ['*/*']),
      responses: responses(`${META}Status`, ['200', '202']),
    });
  }
  paths[`${collection}/{name}`] = item;

  if (r.namespaced && verbs.has('list')) {
    paths[`${prefix}/${r.resource}`] = {
      parameters: [P.pretty],
      get: op('list', `list${camelGroup(r.group)}${r.version.toUpperCase()}${r.kind}ForAllNamespaces`,
        `list or watch ${r.kind} objects in all namespaces`, { parameters: listParams, responses: responses(listSchema, ['200']) }),
    };
  }

  for (const sub of r.subresources) {
    if (sub.name !== 'status' && sub.name !== 'scale') continue;
    const subGvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
    const subSchema = schemaOf(subGvk);
    const suffix = sub.name === 'status' ? 'Status' : 'Scale';
    const subOp = (action: string, operationId: string, description: string, extra: object) => ({
      ...op(action, operationId, description, extra), 'x-kubernetes-group-version-kind': gvkExtension(subGvk),
    });
    const subItem: Record<string, unknown> = { parameters: [P.name, ...scopeParams] };
    subItem.get = subOp('get', id('read', suffix), `read ${sub.name} of the specified ${r.kind}`, { responses: responses(subSchema, ['200']) });
    subItem.put = writeOp(subOp, 'put', id('replace', suffix), `replace ${sub.name} of the specified ${r.kind}`, subSchema);
    subItem.patch = patchOp(subOp, id('patch', suffix), `partially update ${sub.name} of the specified ${r.kind}`, subSchema);
    paths[`${collection}/{name}/${sub.name}`] = subItem;
  }
  return paths;
}

type OpBuilder = (action: string, operationId: string, description: string, extra: object) => object;

function writeOp(op: OpBuilder, action: string, operationId: string, description: string, schema: string): object {
  return op(action, operationId, description, {
    parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
    requestBody: { ...body(schema, ['*/*']), required: true },
    responses: responses(schema, ['200', '201']),
  });
}

function patchOp(op: OpBuilder, operationId: string, description: string, schema: string): object {
  return op('patch', operationId, description, {
    parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.force],
    requestBody: { ...body(`${META}Patch`, PATCH_MEDIA), required: true },
    responses: responses(schema, ['200', '201']),
  });
}
