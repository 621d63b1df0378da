// Records core/v1 Events about objects, as client-go's EventRecorder does, so `kubectl
// describe` tells what the controllers did. Repeats of the same event (same object, type,
// reason and message) within ten minutes bump `count` and `lastTimestamp` on the existing
// Event instead of creating a new one, the way upstream's correlator aggregates. Recording
// never throws and never blocks the caller: an Event is a best-effort report.

import { randomBytes } from 'node:crypto';
import type { Logger } from '../lib/log.ts';
import { isNotFound, resource } from './client.ts';
import type { KubeClient } from './client.ts';
import { rfc3339 } from '../lib/time.ts';

const events = resource('events');
const REPEAT_WINDOW_MS = 10 * 60_000;
const CACHE_LIMIT = 4096;

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  private client: KubeClient;
  private component: string;
  private log: Logger;
  private seen = new Map<string, { name: string; namespace: string; count: number; first: string; at: number }>();
  private pending = new Set<Promise<void>>();

  constructor(client: KubeClient, component: string, log: Logger) {
    this.client = client;
    this.component = component;
    this.log = log;
  }

  /** Records an Event about `obj` (any API object with apiVersion, kind and metadata). */
  event(obj: any, type: EventType, reason: string, message: string): void {
    const p = this.write(obj, type, reason, message).catch((err) => {
      this.log('event not recorded', { reason, object: obj?.metadata?.name, error: String(err?.message ?? err) });
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Resolves once every event recorded so far has been written (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async write(obj: any, type: EventType, reason: string, message: string): Promise<void> {
    const m = obj.metadata ?? {};
    const namespace = m.namespace || 'default';
    const now = new Date();
    const stamp = rfc3339(now);
    const key = [obj.kind, namespace, m.name, m.uid, type, reason, message].join('\u0000');
    const prev = this.seen.get(key);
    if (prev && now.getTime() - prev.at < REPEAT_WINDOW_MS) {
      prev.count++;
      prev.at = now.getTime();
      try {
        await this.client.patch(events, prev.namespace, prev.name, 'merge', { count: prev.count, lastTimestamp: stamp });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.seen.delete(key); // the Event expired or was deleted: write a fresh one
      }
    }
    // Upstream names events <object>.<hex nanoseconds>; a random suffix avoids clashes too.
    const name = `${m.name}.${(BigInt(now.getTime()) * 1_000_000n + BigInt(randomBytes(2).readUInt16BE())).toString(16)}`;
    await this.client.create(events, namespace, {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion, kind: obj.kind, name: m.name, uid: m.uid,
        ...(m.namespace ? { namespace: m.namespace } : {}),
        ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      },
      type, reason, message,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.component,
      firstTimestamp: stamp, lastTimestamp: stamp, count: 1,
    });
    if (this.seen.size >= CACHE_LIMIT) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { name, namespace, count: 1, first: stamp, at: now.getTime() });
  }
}
