// Probes (the kubelet's prober): httpGet and tcpSocket run from the node's network namespace
// through one long-lived helper process per node (probe-helper.ts), exec probes run the
// command inside the container's namespaces. Results feed the pod worker's readiness,
// liveness and startup handling.

import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { spawnNodeInNetns } from '../host/index.ts';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface NetworkProber {
  probe(req: { kind: 'http' | 'tcp'; host: string; port: number; path?: string; scheme?: string; headers?: { name: string; value: string }[]; timeoutMs: number }): Promise<ProbeResult>;
  stop(): void;
}

export function startNodeProber(nodeNetns: string): NetworkProber {
  let child: ChildProcess | undefined;
  let seq = 0;
  const waiting = new Map<number, (r: ProbeResult) => void>();
  const ensure = (): ChildProcess => {
    if (child && child.exitCode === null && !child.killed) return child;
    child = spawnNodeInNetns(nodeNetns, join(import.meta.dirname, 'probe-helper.ts'), [], ['pipe', 'pipe', 'ignore']);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const a = JSON.parse(line);
        waiting.get(a.id)?.({ ok: a.ok, message: a.message });
        waiting.delete(a.id);
      } catch { /* ignore */ }
    });
    child.once('exit', () => {
      for (const w of waiting.values()) w({ ok: false, message: 'the prober exited' });
      waiting.clear();
    });
    return child;
  };
  return {
    probe(req) {
      const id = ++seq;
      return new Promise<ProbeResult>((resolve) => {
        waiting.set(id, resolve);
        const c = ensure();
        c.stdin!.write(JSON.stringify({ id, ...req }) + '\n');
        // A guard beyond the probe's own timeout, in case the helper hangs.
        setTimeout(() => {
          if (waiting.delete(id)) resolve({ ok: false, message: 'probe timed out' });
        }, req.timeoutMs + 2000).unref();
      });
    },
    stop() {
      child?.stdin?.end();
      child?.kill();
    },
  };
}
