// The service proxy's loop on one node (kube-proxy's Proxier): Services, EndpointSlices and
// Nodes from informers; a Service whose object or slices changed is recompiled as the event
// arrives (the rest of the ruleset is kept), and a sync has the applier send the element
// changes in one atomic nft transaction. A change of this node's zone, or a failed compile,
// compiles everything again at the next sync. Syncs are coalesced (a burst of changes is
// one sync), a failed sync is retried with back-off and the next one is full, and a periodic
// resync repairs drift. After each sync, UDP conntrack entries that still point at endpoints
// that went away are deleted, so a DNS client moves to the new endpoint at once.

import { resource } from '../k8s/client.ts';
import type { KubeClient } from '../k8s/client.ts';
import { Informer } from '../k8s/informer.ts';
import type { EventRecorder } from '../k8s/event-recorder.ts';
import { Backoff } from '../lib/backoff.ts';
import type { Logger } from '../lib/log.ts';
import { sliceOwner } from './rules.ts';

const svcKey = (svc: any) => `${svc.metadata?.namespace ?? 'default'}/${svc.metadata?.name}`;

/** One Service's UDP targets (`vip:port`, `*:nodePort`) -> the endpoint IPs serving them. */
export function udpTargets(svc: any, sls: readonly any[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (!svc) return out;
  const vips = [svc.spec?.clusterIP, ...(svc.spec?.externalIPs ?? []), ...(svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip)]
    .filter((ip: string | undefined) => ip && ip !== 'None');
  for (const p of svc.spec?.ports ?? []) {
    if (p.protocol !== 'UDP') continue;
    const eps = new Set<string>();
    for (const s of sls) {
      if (!(s.ports ?? []).some((sp: any) => (sp.name ?? '') === (p.name ?? '') && sp.protocol === 'UDP')) continue;
      for (const e of s.endpoints ?? []) if (e.conditions?.serving !== false) for (const a of e.addresses ?? []) eps.add(a);
    }
    for (const vip of vips) out.set(`${vip}:${p.port}`, eps);
    if (p.nodePort) out.set(`*:${p.nodePort}`, eps);
  }
  return out;
}

/** The node's rules as the proxier drives them (rules.ts ProxyRules implements it). */
export interface ProxierRules {
  /** Takes this node's own object (its zone), before a rebuild. */
  setNode?(node: any | undefined): void;
  /** Starts over from every Service and slice. */
  rebuild(services: readonly any[], slices: readonly any[]): void;
  /** Recompiles one Service (`namespace/name`) from its object, undefined once deleted, and its slices. */
  update(key: string, service: any | undefined, slices: readonly any[]): void;
  /** Sends what changed since the last apply to the kernel (all of it after a failure). */
  apply(): Promise<unknown>;
  remove(): Promise<void>;
  /** Compares the kernel's table with the rules (the resync's drift check). */
  verify?(): Promise<{ inSync: boolean; differences: string[] }>;
  /** Makes the next apply a full replace. */
  invalidate?(): void;
  /** Ends what the rules keep running (the applier's nft process). */
  close?(): void;
}

export interface ProxierOptions {
  client: KubeClient;
  nodeName: string;
  log: Logger;
  rules: ProxierRules;
  /** Called after a sync that compiled everything (rebuild), e.g. to report problems. */
  afterRebuild?(): void;
  /** Deletes UDP conntrack entries to `vip:port` (any local address for a NodePort: vip undefined) whose reply comes from `endpointIP`. */
  clearConntrack?(vip: string | undefined, port: number, endpointIP: string): Promise<void>;
  recorder?: EventRecorder;
  /**
   * Called after each successful sync with the Services it recompiled (all of them after a
   * rebuild): the health check server follows their endpoints. Errors are logged, not retried.
   */
  afterSync?(changed: SyncedServices): void;
  /** Coalescing delay after a change (default 5 ms) and the repair period (default 60 s). */
  minSyncMs?: number;
  resyncMs?: number;
}

/** The Services a sync recompiled, by `namespace/name`, with their current objects. */
export interface SyncedServices {
  /** Every Service was recompiled: entries for keys not in `keys` are gone. */
  full: boolean;
  keys: ReadonlySet<string>;
  service(key: string): any | undefined;
  slices(key: string): any[];
}

export interface Proxier {
  /** Resolves after the first successful sync. */
  synced: Promise<void>;
  /** Resolves after the next successful sync that starts from now (tests, benchmarks). */
  nextSync(): Promise<void>;
  stop(opts?: { removeRules?: boolean }): Promise<void>;
}

export function startProxier(o: ProxierOptions): Proxier {
  const abort = new AbortController();
  const services = new Informer(o.client, resource('services'), { log: o.log });
  const slices = new Informer(o.client, resource('endpointslices.discovery.k8s.io'), { log: o.log });
  const nodes = new Informer(o.client, resource('nodes'), { log: o.log });
  slices.addIndex('service', (sl) => {
    const k = sliceOwner(sl);
    return k ? [k] : [];
  });
  /** Services changed since the last sync (compiled already); `rebuild`: compile everything at the next. */
  let dirty = new Set<string>();
  let rebuild = false;
  const backoff = new Backoff(500, 30_000);
  let timer: NodeJS.Timeout | undefined;
  let syncing = false;
  let again = false;
  let waiters: (() => void)[] = [];
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((r) => (markSynced = r));
  /** Per Service: UDP target (`vip:port`, or `*:nodePort`) -> endpoint IPs serving it. */
  const udpByService = new Map<string, Map<string, Set<string>>>();
  let current: Promise<void> = Promise.resolve();

  let lastSyncStart = 0;
  /**
   * A change after a quiet spell syncs at once (a lone endpoint change is not delayed); one
   * that follows a sync closely waits out the rest of minSyncMs, so a burst is one sync.
   */
  const schedule = (delay?: number) => {
    if (abort.signal.aborted || timer) return;
    const min = o.minSyncMs ?? 5;
    delay ??= Math.max(0, min - (performance.now() - lastSyncStart));
    timer = setTimeout(() => {
      timer = undefined;
      // While a sync runs, another only asks for a rerun: `current` stays the running one.
      if (syncing) {
        again = true;
        return;
      }
      current = sync();
    }, delay);
  };
  /**
   * A changed Service is compiled as its event arrives (as kube-proxy's change trackers turn
   * objects into its service and endpoint maps), so a sync only sends what is compiled; the
   * first one, after the informers' initial lists, is then just the whole apply.
   */
  const compileNow = (key: string) => {
    dirty.add(key);
    if (rebuild) return; // everything is compiled at the next sync anyway
    try {
      const i = key.indexOf('/');
      o.rules.update(key, services.get(key.slice(0, i), key.slice(i + 1)), slices.byIndex('service', key));
    } catch (err) {
      o.log('proxy rules compile failed; compiling everything at the next sync', { node: o.nodeName, service: key, error: String((err as Error)?.message ?? err) });
      rebuild = true;
    }
  };
  services.onChange((e) => {
    if (e.type === 'MODIFIED' && e.old === e.obj) return; // an informer resync: nothing changed
    compileNow(svcKey(e.obj));
    schedule();
  });
  slices.onChange((e) => {
    if (e.type === 'MODIFIED' && e.old === e.obj) return;
    // A slice relabelled to another Service changes both.
    for (const k of new Set([sliceOwner(e.obj), e.old ? sliceOwner(e.old) : ''])) if (k) compileNow(k);
    schedule();
  });
  /** The zone the rules were compiled for (topology hints). */
  let zoneInRules: string | undefined;
  const zoneOf = (n: any): string | undefined => n?.metadata?.labels?.['topology.kubernetes.io/zone'] || undefined;
  nodes.onChange((e) => {
    // Only this node's zone label matters to its rules (its addresses come from its
    // options); heartbeats and status updates must not cost a full compile.
    if (e.obj.metadata?.name !== o.nodeName) return;
    if (zoneOf(e.type === 'DELETED' ? undefined : e.obj) === zoneInRules) return;
    rebuild = true;
    schedule();
  });
  const loops = [services, slices, nodes].map((i) => i.run(abort.signal));
  // The resync repairs drift: rules changed behind the proxy's back (a flushed table, a
  // deleted element) are found by comparing the kernel's table, and replaced in full.
  const resync = setInterval(() => {
    void (async () => {
      const drift = await o.rules.verify?.().catch(() => undefined);
      if (drift && !drift.inSync) {
        o.log('proxy rules drifted; replacing them', { node: o.nodeName, differences: drift.differences.slice(0, 5) });
        o.rules.invalidate?.();
      }
      schedule(0);
    })();
  }, o.resyncMs ?? 60_000);
  resync.unref();
  void Promise.all([services.waitForSync(), slices.waitForSync(), nodes.waitForSync()]).then(() => schedule(0));

  async function sync(): Promise<void> {
    if (abort.signal.aborted) return;
    if (syncing) {
      again = true;
      return;
    }
    if (!services.hasSynced() || !slices.hasSynced()) return;
    syncing = true;
    lastSyncStart = performance.now();
    const done = waiters;
    waiters = [];
    const full = rebuild;
    const changed = dirty;
    rebuild = false;
    dirty = new Set();
    let compiled = false;
    try {
      if (full) {
        const node = nodes.get(undefined, o.nodeName);
        o.rules.setNode?.(node);
        zoneInRules = zoneOf(node);
        o.rules.rebuild(services.list(), slices.list());
      }
      compiled = true;
      await o.rules.apply();
      if (full) o.afterRebuild?.();
      backoff.reset();
      markSynced();
      for (const w of done) w();
      // After the rules are live, and only for what changed: this must not grow with the
      // number of Services, or a second change right after a first would wait for it.
      const keys = full ? new Set([...services.list().map(svcKey), ...slices.list().map(sliceOwner).filter(Boolean)]) : changed;
      const synced: SyncedServices = {
        full, keys,
        service: (key) => services.get(key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)),
        slices: (key) => slices.byIndex('service', key),
      };
      try {
        o.afterSync?.(synced);
      } catch (err) {
        o.log('after-sync step failed', { node: o.nodeName, error: String((err as Error)?.message ?? err) });
      }
      await clearStaleUdp(synced).catch((err) => o.log('conntrack cleanup failed', { node: o.nodeName, error: String(err?.message ?? err) }));
    } catch (err) {
      if (compiled && !full) {
        // The transaction failed: the rules are right but the kernel's state is unknown, so
        // the next apply replaces the table whole, without compiling everything again; the
        // Services of this sync are done again for the steps that follow a sync.
        o.rules.invalidate?.();
        for (const key of changed) dirty.add(key);
      } else {
        // A compile failed (the rules' state is unknown), or the first sync: start over.
        rebuild = true;
      }
      waiters.push(...done);
      const message = String((err as Error)?.message ?? err);
      o.log('proxy rules sync failed; the previous rules stay in force, will retry', { node: o.nodeName, error: message });
      const node = nodes.get(undefined, o.nodeName);
      if (node) o.recorder?.event(node, 'Warning', 'FailedToSyncProxyRules', `Failed to sync the service proxy rules: ${message.slice(0, 400)}`);
      setTimeout(() => schedule(0), backoff.next()).unref();
    } finally {
      syncing = false;
      if (again) {
        again = false;
        schedule(0);
      }
    }
  }

  /**
   * UDP conntrack entries whose reply comes from an endpoint that no longer serves the
   * Service are deleted, for the Services this sync recompiled: by virtual address and port,
   * and by NodePort (any local address), as kube-proxy does.
   */
  async function clearStaleUdp(synced: SyncedServices): Promise<void> {
    if (synced.full) for (const key of [...udpByService.keys()]) if (!synced.keys.has(key)) await forget(key, new Map());
    for (const key of synced.keys) await forget(key, udpTargets(synced.service(key), synced.slices(key)));
  }

  async function forget(key: string, now: Map<string, Set<string>>): Promise<void> {
    const before = udpByService.get(key);
    if (now.size) udpByService.set(key, now);
    else udpByService.delete(key);
    if (!before || !o.clearConntrack) return;
    for (const [target, eps] of before) {
      const after = now.get(target) ?? new Set<string>();
      const at = target.lastIndexOf(':');
      const vip = target.slice(0, at);
      const port = Number(target.slice(at + 1));
      for (const ep of eps) if (!after.has(ep)) await o.clearConntrack(vip === '*' ? undefined : vip, port, ep);
    }
  }

  return {
    synced,
    nextSync: () => new Promise<void>((resolve) => {
      waiters.push(resolve);
      schedule(0);
    }),
    async stop(opts = {}) {
      clearInterval(resync);
      if (timer) clearTimeout(timer);
      abort.abort();
      await Promise.all(loops);
      await current.catch(() => {}); // a sync in flight finishes before the rules go
      if (opts.removeRules) await o.rules.remove().catch(() => {});
      o.rules.close?.();
    },
  };
}
