// HTTP verbs on resources: GET (get, list, watch), POST (create), PUT (update), PATCH (four
// patch types), DELETE (delete, deletecollection), with subresources status and scale, dryRun,
// fieldValidation and Table answers. The registry does the semantics; this file maps HTTP
// onto it and shapes answers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, notFound } from '../lib/errors.ts';
import { resourceKey, groupVersion } from '../k8s/resources.ts';
import type { ResourceInfo } from '../k8s/resources.ts';
import { decodeErrorMessage, duplicateFieldWarning, findDuplicateFields, findUnknownFields, strictDecodingMessage, unknownFieldWarning } from '../k8s/schema/index.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, patchTypeOf, serverSideApply } from './patch/index.ts';
import { buildTable } from './printers/index.ts';
import type { Registry, WriteOptions } from './registry.ts';
import { listObjects, parseListQuery, startWatch } from './list-watch.ts';
import type { WatchEventType } from './list-watch.ts';
import { answerFormat, decodeBody, dryRunOf, fieldValidationOf } from './request.ts';
import type { ResourceRequest } from './request.ts';
import { readBody, sendJson } from './http-util.ts';
import { statusOf, successStatus } from './status.ts';
import { timestamp } from './object-meta.ts';
import type { ServiceAccountTokens } from './service-account-tokens.ts';
import { NODE_SUBRESOURCES, servePodSubresource } from './node-proxy.ts';

export interface HandlerContext {
  registry: Registry;
  tokens: ServiceAccountTokens;
  /** Closes long-running watches when the server stops. */
  watches: Set<() => void>;
}

export async function handleResource(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, rr: ResourceRequest, query: URLSearchParams): Promise<void> {
  const method = req.method ?? 'GET';
  const { info, name } = rr;
  if (rr.group !== info.group || rr.version !== info.version) throw notFound(info.resource, info.group, name ?? '');
  if (info.namespaced && rr.namespace === undefined && (name || method !== 'GET')) {
    // Namespaced objects are addressed inside a namespace; only list/watch span all of them.
    if (method === 'POST' && !name) throw badRequest('the server could not find the requested resource: a namespace is required');
    throw notFound(info.resource, info.group, name ?? '');
  }
  // pods/{name}/log (and the streaming subresources without an upgrade): the pod's node answers.
  if (name && rr.subresource && resourceKey(info) === 'pods' && NODE_SUBRESOURCES.has(rr.subresource)) {
    return servePodSubresource(ctx.registry, req, res, rr.namespace!, name, rr.subresource, query);
  }
  const warnings: string[] = [];
  const send = (code: number, obj: any) => {
    const headers: Record<string, string> = {};
    if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ');
    if (answerFormat(req.headers.accept) === 'table' && obj?.metadata && obj.kind !== 'Status' && rr.subresource !== 'scale') {
      sendJson(res, code, buildTable(resourceKey(info), [obj], { now: Date.now(), includeObject: includeObjectOf(query) }), 'application/json', headers);
    } else {
      sendJson(res, code, obj, 'application/json', headers);
    }
  };
  const writeOpts = (): WriteOptions => ({
    dryRun: dryRunOf(query),
    fieldManager: query.get('fieldManager') || managerFromUserAgent(req.headers['user-agent']),
    subresource: rr.subresource,
  });

  switch (method) {
    case 'GET': {
      if (!name) {
        const watch = query.get('watch');
        if (watch === 'true' || watch === '1') return serveWatch(ctx, req, res, rr, query);
        const q = parseListQuery(info, query);
        const list = await listObjects(ctx.registry, info, rr.namespace, q);
        const listMeta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
        if (list.continue) listMeta.continue = list.continue;
        if (list.remainingItemCount !== undefined) listMeta.remainingItemCount = list.remainingItemCount;
        if (answerFormat(req.headers.accept) === 'table') {
          return sendJson(res, 200, buildTable(resourceKey(info), list.items, { now: Date.now(), includeObject: includeObjectOf(query), listMeta }));
        }
        for (const item of list.items) {
          delete item.apiVersion;
          delete item.kind;
        }
        return sendJson(res, 200, { kind: info.listKind, apiVersion: groupVersion(info), metadata: listMeta, items: list.items });
      }
      const obj = await ctx.registry.get(info, rr.namespace, name);
      if (rr.subresource === 'scale') return send(200, toScale(info, obj));
      if (rr.subresource && rr.subresource !== 'status') throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
      return send(200, obj);
    }
    case 'POST': {
      if (name && rr.subresource === 'binding' && resourceKey(info) === 'pods') {
        const binding = decodeBody(await readBody(req), req.headers['content-type']) as any;
        return sendJson(res, 201, await bindPod(ctx.registry, info, rr.namespace!, name, binding, writeOpts()));
      }
      if (name && rr.subresource === 'token' && resourceKey(info) === 'serviceaccounts') {
        const request = decodeBody(await readBody(req), req.headers['content-type']) as any;
        return sendJson(res, 201, await issueToken(ctx, rr.namespace!, name, request));
      }
      if (name) throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
      const obj = decodeChecked(req, await readBody(req), query, info, warnings);
      const created = await ctx.registry.create(info, rr.namespace, obj, writeOpts());
      return send(201, created);
    }
    case 'PUT': {
      if (!name) throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
      const body = await readBody(req);
      if (rr.subresource === 'scale') {
        const scale = decodeBody(body, req.headers['content-type']) as any;
        return send(200, await updateScale(ctx.registry, info, rr.namespace, name, writeOpts(), () => scale));
      }
      const obj = decodeChecked(req, body, query, info, warnings);
      const opts = writeOpts();
      if (rr.subresource === 'finalize') opts.subresource = undefined;
      const out = await ctx.registry.update(info, rr.namespace, name, opts, (cur) => {
        if (rr.subresource === 'finalize') {
          // Only spec.finalizers changes through /finalize.
          cur.spec = { ...(cur.spec ?? {}), finalizers: obj?.spec?.finalizers ?? [] };
          if (obj?.metadata?.resourceVersion) cur.metadata.resourceVersion = obj.metadata.resourceVersion;
          return cur;
        }
        return obj;
      });
      return send(200, out.obj);
    }
    case 'PATCH': {
      if (!name) throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
      const ct = req.headers['content-type'] ?? '';
      const type = patchTypeOf(ct);
      if (!type) {
        throw new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      }
      const patch = decodeBody(await readBody(req), ct);
      const opts = writeOpts();
      if (type === 'apply') opts.operation = 'Apply';
      const force = query.get('force') === 'true';
      if (type === 'apply' && !query.get('fieldManager')) {
        throw badRequest('PATCH, application/apply-patch+yaml requests require a fieldManager in the query parameters');
      }
      const apply = (cur: any) => {
        switch (type) {
          case 'json': return applyJsonPatch(cur, patch);
          case 'merge': return applyMergePatch(cur, patch);
          case 'strategic': return applyStrategicMergePatch(cur, patch, rr.subresource === 'scale' ? 'Scale' : info.kind);
          case 'apply': return serverSideApply(cur, checkUnknown(patch, query, info, warnings), { manager: opts.fieldManager, force, kind: info.kind, apiVersion: groupVersion(info), now: timestamp() });
        }
      };
      if (rr.subresource === 'scale') return send(200, await updateScale(ctx.registry, info, rr.namespace, name, opts, (scale) => apply(scale)));
      let created = false;
      const out = await ctx.registry.update(info, rr.namespace, name, opts, (cur) => {
        const next = apply(cur);
        return type === 'apply' ? next : checkUnknownInPatch(next, patch, type, query, info, warnings);
      }, type === 'apply' ? async () => {
        created = true;
        const obj = serverSideApply(undefined, checkUnknown(patch, query, info, warnings), { manager: opts.fieldManager, force, kind: info.kind, apiVersion: groupVersion(info), now: timestamp() });
        obj.metadata = { ...(obj.metadata ?? {}), name };
        return ctx.registry.create(info, rr.namespace, obj, { ...opts, fieldManager: opts.fieldManager });
      } : undefined);
      return send(created || out.created ? 201 : 200, out.obj);
    }
    case 'DELETE': {
      const body = await readBody(req);
      const o = (body.length ? decodeBody(body, 'application/json') : {}) as any ?? {};
      const deleteOpts = {
        gracePeriodSeconds: numberParam(query.get('gracePeriodSeconds')) ?? o.gracePeriodSeconds,
        propagationPolicy: propagationPolicyOf(query.get('propagationPolicy') ?? o.propagationPolicy, query.get('orphanDependents') ?? o.orphanDependents),
        preconditions: o.preconditions,
      };
      const dryRun = dryRunOf(query) || (Array.isArray(o.dryRun) && o.dryRun.includes('All'));
      if (!name) {
        const q = parseListQuery(info, query);
        const list = await listObjects(ctx.registry, info, rr.namespace, { ...q, limit: undefined, continueToken: undefined });
        const deleted = [];
        for (const item of list.items) {
          try {
            deleted.push(await ctx.registry.delete(info, item.metadata.namespace, item.metadata.name, deleteOpts, dryRun));
          } catch (err) {
            if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
          }
        }
        return sendJson(res, 200, { kind: info.listKind, apiVersion: groupVersion(info), metadata: { resourceVersion: list.resourceVersion }, items: deleted });
      }
      const out = await ctx.registry.delete(info, rr.namespace, name, deleteOpts, dryRun);
      // Upstream answers 200 with the object while it is still there (finalizers, grace),
      // and with the object or a Success Status once it is gone; kubectl accepts both.
      return send(200, out ?? successStatus({ name, group: info.group, kind: info.resource, uid: out?.metadata?.uid }));
    }
    default:
      throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }
}

/** DeleteOptions.propagationPolicy, or the deprecated orphanDependents, checked as upstream does. */
function propagationPolicyOf(policy: unknown, orphan: unknown): string | undefined {
  const orphanSet = orphan !== undefined && orphan !== null;
  if (policy !== undefined && policy !== null && policy !== '') {
    if (orphanSet) throw invalidDeleteOptions('orphanDependents and deletionPropagation cannot be both set');
    if (!['Foreground', 'Background', 'Orphan'].includes(String(policy))) {
      throw invalidDeleteOptions(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    return String(policy);
  }
  if (orphanSet) return orphan === true || orphan === 'true' ? 'Orphan' : 'Background';
  return undefined;
}

function invalidDeleteOptions(message: string): ApiError {
  return new ApiError('Invalid', `DeleteOptions.meta.k8s.io "" is invalid: ${message}`, { kind: 'DeleteOptions', group: 'meta.k8s.io' });
}

/**
 * POST pods/<name>/binding, as the scheduler binds (upstream: pkg/registry/core/pod BindingREST):
 * sets spec.nodeName once, with the PodScheduled=True condition, and answers a Success Status.
 */
async function bindPod(registry: Registry, info: ResourceInfo, ns: string, name: string, binding: any, opts: WriteOptions): Promise<any> {
  const node = binding?.target?.name;
  if (!node) throw new ApiError('Invalid', `Binding.meta.k8s.io "${name}" is invalid: target.name: Required value`, { name, kind: 'Binding' });
  if (binding?.target?.kind && binding.target.kind !== 'Node') {
    throw new ApiError('Invalid', `Binding "${name}" is invalid: target.kind: Unsupported value: "${binding.target.kind}": supported values: "Node"`, { name, kind: 'Binding' });
  }
  const uid = binding?.metadata?.uid;
  await registry.update(info, ns, name, { ...opts, subresource: 'binding' }, (pod) => {
    if (uid && pod.metadata.uid !== uid) throw conflictOn(name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`);
    if (pod.metadata.deletionTimestamp) throw conflictOn(name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflictOn(name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec.nodeName = node;
    const now = timestamp();
    const conditions = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    pod.status = { ...(pod.status ?? {}), conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] };
    return pod;
  });
  return { ...successStatus({ name, kind: 'pods' }), code: 201 };
}

/** POST serviceaccounts/<name>/token: a TokenRequest, answered with a signed token. */
async function issueToken(ctx: HandlerContext, ns: string, name: string, request: any): Promise<any> {
  const sa = await ctx.registry.get(ctx.registry.info('serviceaccounts'), ns, name);
  const ref = request?.spec?.boundObjectRef;
  let bound: any;
  if (ref?.kind && ['Pod', 'Secret'].includes(ref.kind)) {
    bound = await ctx.registry.get(ctx.registry.info(ref.kind === 'Pod' ? 'pods' : 'secrets'), ns, ref.name);
    if (ref.uid && ref.uid !== bound.metadata.uid) {
      throw new ApiError('Conflict', `Operation cannot be fulfilled on ${ref.kind.toLowerCase()}s "${ref.name}": the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    bound.kind = ref.kind;
  }
  return ctx.tokens.issue(sa, request, bound);
}

function conflictOn(name: string, why: string): ApiError {
  return new ApiError('Conflict', `Operation cannot be fulfilled on pods/binding "${name}": ${why}`, { name, kind: 'pods/binding' });
}

function decodeChecked(req: IncomingMessage, body: Buffer, query: URLSearchParams, info: ResourceInfo, warnings: string[]): any {
  const obj = decodeBody(body, req.headers['content-type']) as any;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON object');
  const gv = groupVersion(info);
  if (obj.apiVersion && obj.kind && (obj.apiVersion !== gv || obj.kind !== info.kind)) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
  }
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  const duplicates = type === 'application/json' ? findDuplicateFields(body.toString('utf8')) : [];
  try {
    return checkUnknown(obj, query, info, warnings, duplicates);
  } catch (err) {
    // Create and update wrap strict-decoding failures the way kube-apiserver's decoder does.
    if (err instanceof ApiError && err.reason === 'BadRequest') {
      throw badRequest(decodeErrorMessage(info.kind, info.version, info.kind, err.message));
    }
    throw err;
  }
}

/**
 * Unknown fields in the result of a JSON, merge or strategic merge patch: under Strict,
 * upstream's patch handler answers 422 with one `patch` field error whose value is the
 * patched object (JSON and merge patches) or the patch as Go prints a map (strategic).
 */
function checkUnknownInPatch(next: any, patch: unknown, type: string, query: URLSearchParams, info: ResourceInfo, warnings: string[]): any {
  try {
    return checkUnknown(next, query, info, warnings);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'BadRequest')) throw err;
    const value = type === 'strategic' ? goPrint(patch) : JSON.stringify(next);
    const detail = `Invalid value: ${JSON.stringify(value)}: ${err.message}`;
    throw new ApiError('Invalid', ` "" is invalid: patch: ${detail}`, { causes: [{ reason: 'FieldValueInvalid', message: detail, field: 'patch' }] });
  }
}

/** A decoded JSON value as Go's fmt %+v prints it (maps with sorted keys, slices with spaces). */
function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v as object).sort().map((k) => `${k}:${goPrint((v as any)[k])}`).join(' ')}]`;
  return String(v);
}

/** fieldValidation: Strict rejects unknown fields, Warn answers with Warning headers, Ignore drops them. */
function checkUnknown(obj: any, query: URLSearchParams, info: ResourceInfo, warnings: string[], duplicates: string[] = []): any {
  const mode = fieldValidationOf(query);
  const { unknown, pruned } = findUnknownFields(groupVersion(info), info.kind, obj);
  if (!unknown.length && !duplicates.length) return obj;
  if (mode === 'Strict') throw badRequest(strictDecodingMessage(unknown, duplicates));
  if (mode === 'Warn') warnings.push(...unknown.map(unknownFieldWarning), ...duplicates.map(duplicateFieldWarning));
  return unknown.length ? pruned : obj;
}

function includeObjectOf(q: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function numberParam(v: string | null): number | undefined {
  return v === null || v === '' ? undefined : Number(v);
}

/** Upstream's default field manager: the user agent up to its first '/'. */
function managerFromUserAgent(ua: string | undefined): string {
  return (ua ?? 'unknown').split('/')[0] || 'unknown';
}

// ------------------------------------------------------------------------- scale

function toScale(info: ResourceInfo, obj: any) {
  const sel = obj.spec?.selector?.matchLabels ?? {};
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') },
  };
}

async function updateScale(reg: Registry, info: ResourceInfo, ns: string | undefined, name: string, opts: WriteOptions, change: (scale: any) => any) {
  const out = await reg.update(info, ns, name, { ...opts, subresource: undefined }, (cur) => {
    const scale = change(toScale(info, cur));
    const replicas = scale?.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new ApiError('Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, {
        name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' }],
      });
    }
    if (scale.metadata?.resourceVersion && scale.metadata.resourceVersion !== cur.metadata.resourceVersion) cur.metadata.resourceVersion = scale.metadata.resourceVersion;
    else delete cur.metadata.resourceVersion;
    cur.spec.replicas = replicas;
    return cur;
  });
  return toScale(info, out.obj);
}

// ------------------------------------------------------------------------- watch

async function serveWatch(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, rr: ResourceRequest, query: URLSearchParams): Promise<void> {
  const info = rr.info;
  const q = parseListQuery(info, query);
  const table = answerFormat(req.headers.accept) === 'table';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const timeout = numberParam(query.get('timeoutSeconds'));
  let headersDone = false;
  let sentHeader = false;
  let lastRV = query.get('resourceVersion') ?? '';
  const write = (type: WatchEventType, obj: any) => {
    if (!headersDone) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
      headersDone = true;
    }
    let out = obj;
    if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
      out = buildTable(resourceKey(info), [obj], { now: Date.now(), includeObject: includeObjectOf(query), omitHeaders: sentHeader });
      sentHeader = true;
    }
    if (obj?.metadata?.resourceVersion) lastRV = obj.metadata.resourceVersion;
    res.write(JSON.stringify({ type, object: out }) + '\n');
  };
  let watcher: { close(): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    watcher?.close();
    clearTimeout(timer);
    clearInterval(bookmarkTimer);
    ctx.watches.delete(stop);
    if (!res.writableEnded) {
      if (!headersDone) res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      res.end();
    }
  };
  ctx.watches.add(stop);
  req.on('close', stop);
  res.on('error', stop);
  try {
    watcher = await startWatch(ctx.registry, info, rr.namespace, q, query.get('resourceVersion') ?? '', {
      send: (type, obj) => {
        if (!res.writableEnded) write(type, obj);
      },
    });
  } catch (err) {
    if (err instanceof ApiError && (err.reason === 'Expired' || err.reason === 'Gone')) {
      // Upstream reports a compacted start as an ERROR event in a 200 stream.
      write('ERROR', statusOf(new ApiError('Expired', err.message)));
      stop();
      return;
    }
    ctx.watches.delete(stop);
    throw err;
  }
  if (res.writableEnded) {
    watcher.close();
    return;
  }
  if (!headersDone) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    headersDone = true;
  }
  if (timeout && timeout > 0) timer = setTimeout(stop, timeout * 1000);
  if (bookmarks) {
    bookmarkTimer = setInterval(async () => {
      const rv = String(await ctx.registry.backend.currentRevision());
      if (!res.writableEnded) res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: info.kind, apiVersion: groupVersion(info), metadata: { resourceVersion: rv || lastRV } } }) + '\n');
    }, 10_000);
  }
}
