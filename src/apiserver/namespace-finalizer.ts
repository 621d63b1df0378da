// Namespace deletion: once a namespace is Terminating, everything in it is deleted, then the
// `kubernetes` finalizer is removed from spec.finalizers (as PUT .../finalize does) and the
// namespace goes away. Upstream's namespace controller does this through the API; knet runs it
// inside the API server until the controllers land (issue: controllers), and re-runs it at
// start-up for namespaces left Terminating by a crash.

import { RESOURCES } from '../k8s/resources.ts';
import { ApiError } from '../lib/errors.ts';
import type { Registry } from './registry.ts';

const nsInfo = RESOURCES.find((r) => r.resource === 'namespaces' && r.group === '')!;

export class NamespaceFinalizer {
  private running = new Map<string, Promise<void>>();
  private reg: Registry;
  private log: (msg: string, fields: object) => void;

  constructor(reg: Registry, log: (msg: string, fields: object) => void) {
    this.reg = reg;
    this.log = log;
  }

  /** Starts (or joins) the finalization of `name`; never throws, retries with back-off. */
  finalize(name: string): Promise<void> {
    let p = this.running.get(name);
    if (!p) {
      p = this.run(name).finally(() => this.running.delete(name));
      this.running.set(name, p);
    }
    return p;
  }

  async resumeAll(): Promise<void> {
    const list = await this.reg.backend.list(this.reg.key(nsInfo, undefined));
    for (const kv of list.items) {
      const ns = JSON.parse(kv.value);
      if (ns.metadata?.deletionTimestamp) void this.finalize(ns.metadata.name);
    }
  }

  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  private async run(name: string): Promise<void> {
    for (let attempt = 0, delay = 100; ; attempt++, delay = Math.min(delay * 2, 5000)) {
      try {
        await this.deleteContents(name);
        await this.reg.update(nsInfo, undefined, name, { dryRun: false, fieldManager: 'namespace-controller' }, (cur) => {
          if (cur.spec) cur.spec.finalizers = (cur.spec.finalizers ?? []).filter((f: string) => f !== 'kubernetes');
          return cur;
        });
        return;
      } catch (err) {
        if (err instanceof ApiError && err.reason === 'NotFound') return;
        this.log('namespace finalization failed; retrying', { namespace: name, attempt, error: String(err) });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async deleteContents(ns: string): Promise<void> {
    for (const r of RESOURCES) {
      if (!r.namespaced) continue;
      const list = await this.reg.backend.list(this.reg.key(r, ns));
      for (const kv of list.items) {
        const obj = JSON.parse(kv.value);
        try {
          await this.reg.delete(r, ns, obj.metadata.name, { gracePeriodSeconds: 0, propagationPolicy: 'Background' }, false);
        } catch (err) {
          if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
        }
      }
      const left = await this.reg.backend.list(this.reg.key(r, ns), { limit: 1 });
      if (left.items.length) throw new Error(`${r.resource} remain in namespace ${ns} (finalizers)`);
    }
  }
}
