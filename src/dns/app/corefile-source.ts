// Where the Corefile comes from: fixed text, or one key of a ConfigMap kept current by a
// namespaced list + watch (the DNS server's RBAC, like CoreDNS's, need not include
// cluster-wide ConfigMap access). A watch that ends is resumed from the last revision; a
// 410 or any error relists after a back-off. The source never throws: failures are logged
// and retried, and the running configuration stays.

import type { KubeClient } from '../../k8s/client.ts';
import { isGone, resource, toApiError } from '../../k8s/client.ts';
import { Backoff, sleep } from '../../lib/backoff.ts';
import type { Logger } from '../../lib/log.ts';

export interface ConfigMapRef {
  namespace: string;
  name: string;
  key?: string;
}

export type CorefileSourceSpec = ConfigMapRef | { text: string };

/** What the source found: the text, or why there is none. */
export type CorefileText = { text: string } | { missing: string };

export interface CorefileSource {
  /** Settles with the first value read. */
  readonly first: Promise<CorefileText>;
  /** Called with every later change (not with the first value). */
  onChange(fn: (t: CorefileText) => void): void;
  /** `configmap/NS/NAME` or `text`: for log lines. */
  readonly description: string;
  /** Why the last read failed, while reads fail; undefined once one succeeded. */
  lastError(): string | undefined;
  close(): void;
}

const configMaps = resource('configmaps');

export function corefileSource(spec: CorefileSourceSpec, client: KubeClient, log: Logger): CorefileSource {
  if ('text' in spec) {
    return { first: Promise.resolve({ text: spec.text }), onChange() {}, description: 'text', lastError: () => undefined, close() {} };
  }
  const key = spec.key ?? 'Corefile';
  const description = `configmap/${spec.namespace}/${spec.name}`;
  const abort = new AbortController();
  const listeners: ((t: CorefileText) => void)[] = [];
  let resolveFirst!: (t: CorefileText) => void;
  const first = new Promise<CorefileText>((r) => (resolveFirst = r));
  let seenFirst = false;
  let last: string | undefined;
  let lastError: string | undefined;

  const deliver = (cm: any | undefined) => {
    const t: CorefileText = cm === undefined
      ? { missing: `ConfigMap ${spec.namespace}/${spec.name} does not exist` }
      : typeof cm.data?.[key] === 'string'
        ? { text: cm.data[key] }
        : { missing: `ConfigMap ${spec.namespace}/${spec.name} has no key "${key}"` };
    const sig = 'text' in t ? `t:${t.text}` : `m:${t.missing}`;
    if (!seenFirst) {
      seenFirst = true;
      last = sig;
      resolveFirst(t);
      return;
    }
    if (sig === last) return;
    last = sig;
    for (const l of listeners) l(t);
  };

  const fieldSelector = `metadata.name=${spec.name}`;
  const loop = async () => {
    const backoff = new Backoff(200, 10_000);
    while (!abort.signal.aborted) {
      try {
        const list = await client.list(configMaps, spec.namespace, { fieldSelector });
        lastError = undefined;
        deliver(list.items[0]);
        let rv = list.metadata.resourceVersion;
        backoff.reset();
        // Watch until the server ends the stream badly; a clean end resumes from rv.
        for (;;) {
          if (abort.signal.aborted) return;
          let failure: Error | undefined;
          const handle = client.watch(configMaps, spec.namespace, { fieldSelector, resourceVersion: rv, timeoutSeconds: 300 }, (e) => {
            if (e.type === 'ERROR') {
              failure = toApiError(e.object?.code ?? 500, JSON.stringify(e.object ?? {}));
              handle.stop();
              return;
            }
            if (e.object?.metadata?.resourceVersion) rv = e.object.metadata.resourceVersion;
            if (e.type === 'BOOKMARK') return;
            deliver(e.type === 'DELETED' ? undefined : e.object);
          });
          const stop = () => handle.stop();
          abort.signal.addEventListener('abort', stop, { once: true });
          const ended = await handle.done;
          const err = failure ?? ended;
          abort.signal.removeEventListener('abort', stop);
          if (err) throw err;
          // A stream the server ends at once must not become a busy loop.
          await sleep(100, abort.signal);
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        lastError = String((err as Error)?.message ?? err);
        if (!isGone(err)) log('cannot read the Corefile ConfigMap; retrying', { level: 'error', plugin: 'reload', source: description, error: String((err as Error)?.message ?? err) });
        await backoff.wait(abort.signal);
      }
    }
  };
  void loop();

  return {
    first,
    onChange: (fn) => void listeners.push(fn),
    description,
    lastError: () => lastError,
    close: () => abort.abort(),
  };
}
