// Feeds the node's health check server (health-server.ts, run inside the node's namespace)
// with the eTP=Local Services and their local endpoint counts after each proxy sync.

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HealthService } from './health-server.ts';
import { spawnNodeInNetns } from '../host/index.ts';

export interface HealthChecks {
  update(services: any[], slices: any[]): void;
  stop(): void;
}

/** Services with eTP=Local and a healthCheckNodePort, with this node's ready endpoints. */
export function healthServices(services: any[], slices: any[], nodeName: string): HealthService[] {
  const local = new Map<string, number>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const key = `${s.metadata.namespace}/${svc}`;
    const n = (s.endpoints ?? []).filter((e: any) => e.nodeName === nodeName && e.conditions?.ready !== false).length;
    local.set(key, (local.get(key) ?? 0) + n);
  }
  return services
    .filter((svc) => svc.spec?.externalTrafficPolicy === 'Local' && svc.spec?.healthCheckNodePort)
    .map((svc) => ({ port: svc.spec.healthCheckNodePort, namespace: svc.metadata.namespace, name: svc.metadata.name, localEndpoints: local.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? 0 }))
    .sort((a, b) => a.port - b.port);
}

export function startHealthChecks(o: { netns: string; nodeName: string }): HealthChecks {
  let child: ChildProcess | undefined;
  let last = '';
  let stopped = false;
  const ensure = () => {
    if (child && child.exitCode === null && !child.killed) return child;
    last = '';
    child = spawnNodeInNetns(o.netns, join(import.meta.dirname, 'health-server.ts'), [], ['pipe', 'ignore', 'inherit']);
    child.stdin!.on('error', () => {});
    return child;
  };
  return {
    update(services, slices) {
      if (stopped) return;
      const want = healthServices(services, slices, o.nodeName);
      const line = JSON.stringify({ services: want });
      const alive = child && child.exitCode === null && !child.killed;
      if ((line === last && alive) || (!want.length && !child)) return;
      last = line;
      ensure().stdin!.write(line + '\n');
    },
    stop() {
      stopped = true;
      child?.stdin?.end();
      child?.kill();
    },
  };
}
