// The generic registry: create, read, update, patch and delete of any served resource against
// the store, with upstream's semantics (k8s.io/apiserver registry/generic/registry/store.go):
// resourceVersion = the store's modRevision, compare-and-swap updates with 409 on a stale
// resourceVersion, generation on spec changes, status subresources, finalizers and
// deletionTimestamp, dryRun. Per-resource behaviour comes from strategies.ts, validation/ and
// the Service allocator.

import type { Backend, KeyValue } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound } from '../lib/errors.ts';
import { resourceKey, groupVersion, RESOURCES } from '../k8s/resources.ts';
import type { ResourceInfo } from '../k8s/resources.ts';
import { applyDefaults, validateObject, validateStatus, prepareServiceUpdate } from './validation/index.ts';
import { updateManagedFields } from './patch/index.ts';
import { generateName, newUid, timestamp } from './object-meta.ts';
import { hasStatus, initialStatus, specChanged } from './strategies.ts';
import type { ServiceAllocator } from './service-allocator.ts';
import { coreToEventsV1, eventsV1ToCore } from './event-conversion.ts';
import { allocateServiceAddresses, releaseServiceAddresses, serviceFieldErrors } from './service-rest.ts';
import type { AllocationTxn } from './service-rest.ts';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  subresource?: string;
  /** 'Apply' when the caller (server-side apply) has already recorded field ownership. */
  operation?: 'Apply';
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Namespaces whose deletion upstream's NamespaceLifecycle admission refuses. */
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export class Registry {
  readonly backend: Backend;
  readonly services: ServiceAllocator;

  constructor(backend: Backend, services: ServiceAllocator) {
    this.backend = backend;
    this.services = services;
  }

  /** A served resource by its resourceKey (`pods`, `deployments.apps`). */
  info(key: string): ResourceInfo {
    const r = RESOURCES.find((x) => resourceKey(x) === key);
    if (!r) throw new Error(`not a served resource: ${key}`);
    return r;
  }

  key(r: ResourceInfo, ns: string | undefined, name = ''): string {
    return r.namespaced && ns ? `/registry/${storageKey(r)}/${ns}/${name}` : `/registry/${storageKey(r)}/${name}`;
  }

  decode(r: ResourceInfo, kv: KeyValue): any {
    const stored = JSON.parse(kv.value);
    const obj = r.group === 'events.k8s.io' ? coreToEventsV1(stored) : stored;
    obj.apiVersion = groupVersion(r);
    obj.kind = r.kind;
    obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  }

  async get(r: ResourceInfo, ns: string | undefined, name: string): Promise<any> {
    const kv = await this.backend.get(this.key(r, ns, name));
    if (!kv) throw notFound(r.resource, r.group, name);
    return this.decode(r, kv);
  }

  // ---------------------------------------------------------------- create

  async create(r: ResourceInfo, ns: string | undefined, obj: any, opts: WriteOptions): Promise<any> {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON object');
    obj.metadata ??= {};
    const m = obj.metadata;
    if (m.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (r.namespaced) {
      if (m.namespace && ns && m.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      m.namespace = ns;
      await this.checkNamespaceOpen(ns!);
    } else {
      delete m.namespace;
    }
    if (!m.name && m.generateName) m.name = generateName(m.generateName);
    obj.apiVersion = groupVersion(r);
    obj.kind = r.kind;
    m.uid = newUid();
    m.creationTimestamp = timestamp();
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (r.generation) m.generation = 1;
    else delete m.generation;
    const status = initialStatus(r, obj);
    if (status === undefined) delete obj.status;
    else obj.status = status;

    const key = resourceKey(r);
    applyDefaults(key, obj);
    const errs = validateObject(key, obj);
    if (errs.length) throw invalid(r.kind, r.group, m.name ?? '', errs);
    const txn = this.allocate(r, obj, undefined);
    if (opts.operation !== 'Apply') updateManagedFields(undefined, obj, { manager: opts.fieldManager, operation: 'Update', apiVersion: obj.apiVersion, now: m.creationTimestamp });
    if (opts.dryRun) {
      txn?.rollback();
      return obj;
    }
    try {
      const kv = await this.backend.create(this.key(r, ns, m.name), serialize(r, obj));
      txn?.commit();
      return this.decode(r, kv);
    } catch (err) {
      txn?.rollback();
      if (err instanceof StoreError && err.code === 'key-exists') throw alreadyExists(r.resource, r.group, m.name);
      throw err;
    }
  }

  // ---------------------------------------------------------------- update

  /**
   * Read-modify-write with compare-and-swap. `mutate` gets the current object and returns the
   * desired one; when it carries a resourceVersion that differs from the current one the write
   * fails with 409, otherwise a lost race is retried with the fresh object (as GuaranteedUpdate).
   * `create` (apply, PUT on a missing object) makes a missing object be created instead.
   */
  async update(
    r: ResourceInfo, ns: string | undefined, name: string, opts: WriteOptions,
    mutate: (current: any) => any | Promise<any>,
    create?: () => Promise<any>,
  ): Promise<{ obj: any; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const kv = await this.backend.get(this.key(r, ns, name));
      if (!kv) {
        if (create && !opts.subresource) return { obj: await create(), created: true };
        throw notFound(r.resource, r.group, name);
      }
      const current = this.decode(r, kv);
      // The mutation sees no resourceVersion: only one the client itself sent (a PUT body, a
      // patch that sets it) makes the write conditional; otherwise a lost race is retried.
      const base = structuredClone(current);
      delete base.metadata.resourceVersion;
      const desired = await mutate(base);
      const preconditioned = Boolean(desired?.metadata?.resourceVersion);
      if (preconditioned && desired.metadata.resourceVersion !== current.metadata.resourceVersion) {
        throw conflict(r.resource, r.group, name);
      }
      // An unconditional update (every served kind allows one) is validated as an update of
      // the current revision, as upstream's store does.
      if (!preconditioned && desired && typeof desired === 'object' && !Array.isArray(desired)) {
        desired.metadata = { ...(desired.metadata ?? {}), resourceVersion: current.metadata.resourceVersion };
      }
      try {
        return { obj: await this.write(r, current, desired, kv.modRevision, opts), created: false };
      } catch (err) {
        if (err instanceof StoreError && err.code === 'conflict' && !preconditioned && attempt < 5) continue;
        if (err instanceof StoreError && err.code === 'conflict') throw conflict(r.resource, r.group, name);
        if (err instanceof StoreError && err.code === 'not-found') throw notFound(r.resource, r.group, name);
        throw err;
      }
    }
  }

  private async write(r: ResourceInfo, old: any, obj: any, rev: number, opts: WriteOptions): Promise<any> {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON object');
    obj.metadata ??= {};
    const om = old.metadata;
    if (opts.subresource === 'status') {
      // The status subresource changes status only.
      if (obj.metadata.name && obj.metadata.name !== om.name) {
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${om.name})`);
      }
      const status = obj.status;
      obj = structuredClone(old);
      obj.status = status;
    }
    const m = obj.metadata;
    if (m.name && m.name !== om.name) {
      throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${om.name})`);
    }
    if (r.namespaced && m.namespace && m.namespace !== om.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.apiVersion = old.apiVersion;
    obj.kind = old.kind;
    // Fields only the server sets.
    m.name = om.name;
    m.namespace = om.namespace;
    if (!r.namespaced) delete m.namespace;
    m.uid = om.uid;
    m.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp) {
      m.deletionTimestamp = om.deletionTimestamp;
      m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    } else {
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
    }
    const key = resourceKey(r);
    // Binding (pods/binding) sets spec.nodeName and the PodScheduled condition together.
    if (opts.subresource !== 'status' && opts.subresource !== 'binding' && hasStatus(r)) {
      obj.status = old.status;
    }
    if (om.deletionTimestamp) {
      const added = (m.finalizers ?? []).filter((f: string) => !(om.finalizers ?? []).includes(f));
      if (added.length) {
        throw invalid(r.kind, r.group, om.name, [{ type: 'FieldValueForbidden', field: 'metadata.finalizers', detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f: string) => JSON.stringify(f)).join(', ')}}` }]);
      }
    }
    applyDefaults(key, obj);
    // After defaulting: keeps allocated values a replace left out, drops what the new type no longer uses.
    if (opts.subresource !== 'status' && key === 'services') prepareServiceUpdate(obj, old);
    if (r.generation) m.generation = (om.generation ?? 1) + (specChanged(old, obj) ? 1 : 0);
    else delete m.generation;
    const errs = opts.subresource === 'status' ? validateStatus(key, obj, old) : opts.subresource === 'binding' ? [] : validateObject(key, obj, old);
    if (errs.length) throw invalid(r.kind, r.group, om.name, errs);

    // Nothing changed: no write, same resourceVersion (as upstream's no-op update).
    const stripRV = (o: any) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: opts.operation === 'Apply' ? o.metadata.managedFields : undefined } });
    if (stripRV(obj) === stripRV(old)) return old;

    const txn = opts.subresource === 'status' ? undefined : this.allocate(r, obj, old);
    if (opts.operation !== 'Apply') updateManagedFields(old, obj, { manager: opts.fieldManager, operation: 'Update', apiVersion: obj.apiVersion, now: timestamp(), subresource: opts.subresource });
    delete m.resourceVersion;
    if (opts.dryRun) {
      txn?.rollback();
      m.resourceVersion = om.resourceVersion;
      return obj;
    }
    // The last finalizer removed from an object being deleted: the delete completes now.
    // (upstream's shouldDeleteDuringUpdate: the old object had finalizers, the new has none, and
    // no grace period is pending — a pod shutting down on its node stays until its agent is done.)
    const waitsForContents = key === 'namespaces' && obj.spec?.finalizers?.length;
    const lastFinalizerRemoved = (om.finalizers?.length ?? 0) > 0 || key === 'namespaces';
    if (m.deletionTimestamp && !(m.finalizers?.length) && !waitsForContents && lastFinalizerRemoved && !(om.deletionGracePeriodSeconds > 0)) {
      const kv = await this.backend.delete(this.key(r, om.namespace, om.name), rev);
      txn?.rollback();
      if (key === 'services') releaseServiceAddresses(this.services, old);
      return this.decode(r, { ...kv, value: serialize(r, obj) });
    }
    try {
      const kv = await this.backend.update(this.key(r, om.namespace, om.name), serialize(r, obj), rev);
      txn?.commit();
      return this.decode(r, kv);
    } catch (err) {
      txn?.rollback();
      throw err;
    }
  }

  // ---------------------------------------------------------------- delete

  async delete(r: ResourceInfo, ns: string | undefined, name: string, o: DeleteOptions, dryRun: boolean): Promise<any> {
    if (resourceKey(r) === 'namespaces' && UNDELETABLE_NAMESPACES.has(name)) {
      throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    }
    for (let attempt = 0; ; attempt++) {
      const kv = await this.backend.get(this.key(r, ns, name));
      if (!kv) throw notFound(r.resource, r.group, name);
      const obj = this.decode(r, kv);
      const m = obj.metadata;
      const pre = o.preconditions ?? {};
      if (pre.uid && pre.uid !== m.uid) {
        throw conflict(r.resource, r.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`);
      }
      if (pre.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
        throw conflict(r.resource, r.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);
      }
      const finalizers: string[] = [...(m.finalizers ?? [])];
      if (resourceKey(r) === 'namespaces' && obj.spec?.finalizers?.length) {
        // Namespaces wait for their contents to go (spec.finalizers: ["kubernetes"]).
        if (!m.deletionTimestamp) {
          m.deletionTimestamp = timestamp();
          m.deletionGracePeriodSeconds = 0;
          obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
          if (dryRun) return obj;
          try {
            // The namespace controller deletes the contents, then the namespace (finalize).
            return this.decode(r, await this.backend.update(kv.key, serialize(r, stripRV(obj)), kv.modRevision));
          } catch (err) {
            if (err instanceof StoreError && err.code === 'conflict' && attempt < 5) continue;
            throw err;
          }
        }
        return obj;
      }
      const grace = this.gracePeriod(r, obj, o);
      const gcFinalizers = withPropagationFinalizers(finalizers, o.propagationPolicy);
      if (gcFinalizers.length || grace > 0) {
        const finalizersChanged = gcFinalizers.join() !== finalizers.join();
        if (m.deletionTimestamp && !finalizersChanged) return obj; // already being deleted
        if (gcFinalizers.length) m.finalizers = gcFinalizers;
        else delete m.finalizers;
        if (!m.deletionTimestamp) {
          m.deletionTimestamp = timestamp(Date.now() + grace * 1000);
          m.deletionGracePeriodSeconds = grace;
          if (r.generation) m.generation = (m.generation ?? 1) + 1;
        }
        if (dryRun) return obj;
        try {
          return this.decode(r, await this.backend.update(kv.key, serialize(r, stripRV(obj)), kv.modRevision));
        } catch (err) {
          if (err instanceof StoreError && err.code === 'conflict' && attempt < 5) continue;
          throw err;
        }
      }
      if (dryRun) return obj;
      try {
        const del = await this.backend.delete(kv.key, kv.modRevision);
        if (resourceKey(r) === 'services') releaseServiceAddresses(this.services, obj);
        return this.decode(r, del);
      } catch (err) {
        if (err instanceof StoreError && (err.code === 'conflict') && attempt < 5) continue;
        if (err instanceof StoreError && err.code === 'not-found') throw notFound(r.resource, r.group, name);
        throw err;
      }
    }
  }

  /** Pods bound to a node end gracefully (the node agent finishes the delete); others at once. */
  private gracePeriod(r: ResourceInfo, obj: any, o: DeleteOptions): number {
    if (resourceKey(r) !== 'pods' || !obj.spec?.nodeName) return 0;
    if (obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed') return 0;
    const g = o.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, g);
  }

  // ---------------------------------------------------------------- namespaces

  async checkNamespaceOpen(ns: string): Promise<void> {
    const nsInfo = RESOURCES.find((x) => x.resource === 'namespaces')!;
    const kv = await this.backend.get(this.key(nsInfo, undefined, ns));
    if (!kv) throw notFound('namespaces', '', ns);
    const obj = JSON.parse(kv.value);
    if (obj.metadata?.deletionTimestamp) {
      throw forbidden(`unable to create new content in namespace ${ns} because it is being terminated`, {
        name: ns, kind: 'namespaces', causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  private allocate(r: ResourceInfo, obj: any, old: any | undefined): AllocationTxn | undefined {
    if (resourceKey(r) !== 'services') return undefined;
    try {
      return allocateServiceAddresses(this.services, obj, old);
    } catch (err) {
      const fe = serviceFieldErrors(err);
      if (fe) throw invalid(r.kind, r.group, obj.metadata?.name ?? '', fe);
      throw err;
    }
  }
}

/** Where a resource's objects live in the store: events of both groups share the core key. */
function storageKey(r: ResourceInfo): string {
  return r.group === 'events.k8s.io' ? 'events' : resourceKey(r);
}

/**
 * The finalizers an object keeps when deleted with `policy` (upstream's
 * deletionFinalizersForGarbageCollection): Orphan and Foreground each add their finalizer
 * and drop the other's; Background drops both. Without a policy they stay as they are.
 */
function withPropagationFinalizers(finalizers: string[], policy: string | undefined): string[] {
  if (!policy) return finalizers;
  const rest = finalizers.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (policy === 'Orphan') return [...rest, 'orphan'];
  if (policy === 'Foreground') return [...rest, 'foregroundDeletion'];
  return rest;
}

function stripRV(obj: any): any {
  delete obj.metadata.resourceVersion;
  return obj;
}

function serialize(r: ResourceInfo, obj: any): string {
  const { resourceVersion: _rv, selfLink: _sl, ...meta } = obj.metadata ?? {};
  const stored = r.group === 'events.k8s.io' ? eventsV1ToCore(obj) : obj;
  return JSON.stringify({ ...stored, metadata: meta });
}

