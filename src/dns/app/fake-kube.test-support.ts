// A scripted stand-in for KubeClient (list + watch only), for start-up and reload tests
// that need control over timing: informer lists can be held back, the Corefile ConfigMap
// changed at any moment or made unreadable, and open watches counted.

import type { KubeClient, ListOptions, ObjectList, WatchEvent, WatchHandle } from '../../k8s/client.ts';
import type { ResourceInfo } from '../../k8s/resources.ts';

export class FakeKube {
  /** The one ConfigMap the source reads (any name matches); undefined: it does not exist. */
  configMap: { data: Record<string, string> } | undefined;
  /** When set, listing ConfigMaps fails with it. */
  configMapError: Error | undefined;
  /** Every list call, by resource plural. */
  readonly lists = new Map<string, number>();
  openWatches = 0;
  private rv = 1;
  private releaseInformers: (() => void) | undefined;
  private informersGate: Promise<void> = Promise.resolve();
  private readonly cmWatchers = new Set<(e: WatchEvent) => void>();

  constructor(corefile?: string) {
    if (corefile !== undefined) this.configMap = { data: { Corefile: corefile } };
  }

  /** Informer lists (everything but ConfigMaps) wait until release(). */
  holdInformers(): void {
    this.informersGate = new Promise((r) => (this.releaseInformers = r));
  }

  release(): void {
    this.releaseInformers?.();
  }

  setCorefile(text: string): void {
    this.configMap = { data: { Corefile: text } };
    const object = { metadata: { name: 'coredns', namespace: 'kube-system', resourceVersion: String(++this.rv) }, data: { Corefile: text } };
    for (const w of this.cmWatchers) w({ type: 'MODIFIED', object });
  }

  asClient(): KubeClient {
    return this as unknown as KubeClient;
  }

  async list(r: ResourceInfo, _ns: string | undefined, _opts: ListOptions = {}): Promise<ObjectList> {
    this.lists.set(r.resource, (this.lists.get(r.resource) ?? 0) + 1);
    if (r.resource === 'configmaps') {
      if (this.configMapError) throw this.configMapError;
      const items = this.configMap
        ? [{ metadata: { name: 'coredns', namespace: 'kube-system', resourceVersion: String(this.rv) }, data: { ...this.configMap.data } }]
        : [];
      return { metadata: { resourceVersion: String(this.rv) }, items };
    }
    await this.informersGate;
    return { metadata: { resourceVersion: String(this.rv) }, items: [] };
  }

  watch(r: ResourceInfo, _ns: string | undefined, _opts: unknown, onEvent: (e: WatchEvent) => void): WatchHandle {
    this.openWatches++;
    let stop!: () => void;
    const done = new Promise<Error | undefined>((resolve) => {
      stop = () => resolve(undefined);
    });
    if (r.resource === 'configmaps') this.cmWatchers.add(onEvent);
    let stopped = false;
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        this.openWatches--;
        this.cmWatchers.delete(onEvent);
        stop();
      },
      done,
    };
  }

  close(): void {}
}
