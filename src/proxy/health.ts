// Feeds the node's health check server (health-server.ts, run inside the node's namespace)
// with the eTP=Local Services and their local endpoint counts after each proxy sync.

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HealthService } from './health-server.ts';
import { spawnNodeInNetns } from '../host/index.ts';

export interface HealthChecks {
  /** The full list of health-checked Services (sorted by port). */
  update(services: HealthService[]): void;
  stop(): void;
}

/**
 * One Service's health check, if it has one (eTP=Local and a healthCheckNodePort): its
 * port and this node's ready endpoints among `slices` (the Service's own slices).
 */
export function healthService(svc: any, slices: readonly any[], nodeName: string): HealthService | undefined {
  if (svc?.spec?.externalTrafficPolicy !== 'Local' || !svc.spec.healthCheckNodePort) return undefined;
  let localEndpoints = 0;
  for (const s of slices) localEndpoints += (s.endpoints ?? []).filter((e: any) => e.nodeName === nodeName && e.conditions?.ready !== false).length;
  return { port: svc.spec.healthCheckNodePort, namespace: svc.metadata.namespace, name: svc.metadata.name, localEndpoints };
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
    update(want) {
      if (stopped) return;
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
