// A tiny in-memory cluster for tests: applies Deployment plans and runs the ReplicaSet
// decisions, so rollouts can be stepped with pods becoming ready in between.

import { claimPods, planReplicaSet, podFromTemplate, replicaSetStatus } from '../replicaset/index.ts';
import { planDeployment, podsByReplicaSet } from './index.ts';
import type { DeploymentPlan } from './index.ts';

export const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function makeDeployment(over: { replicas?: number; image?: string; strategy?: any; minReadySeconds?: number; revisionHistoryLimit?: number; progressDeadlineSeconds?: number; paused?: boolean } = {}): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'dep-uid', generation: 1, creationTimestamp: iso(T0) },
    spec: {
      replicas: over.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: over.image ?? 'nginx:1' }] } },
      strategy: over.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      minReadySeconds: over.minReadySeconds ?? 0,
      revisionHistoryLimit: over.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: over.progressDeadlineSeconds ?? 600,
      paused: over.paused,
    },
    status: {},
  };
}

export class TestCluster {
  d: any;
  rss: any[] = [];
  pods: any[] = [];
  now = T0;
  events: string[] = [];
  plans: DeploymentPlan[] = [];
  private seq = 0;

  constructor(d: any) {
    this.d = d;
  }

  rs(name: string): any { return this.rss.find((r) => r.metadata.name === name); }
  /** ReplicaSet name -> spec.replicas, sorted by name. */
  sizes(): Record<string, number> {
    return Object.fromEntries(this.rss.map((r) => [r.metadata.name, r.spec.replicas] as const).sort());
  }
  newRs(): any { return this.rss.find((r) => r.metadata.name === this.plans.at(-1)?.newReplicaSetName); }
  podsOf(rs: any): any[] { return this.pods.filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid); }

  /** Changes the Deployment's spec the way an API update would (generation bump). */
  editSpec(f: (spec: any) => void): void {
    f(this.d.spec);
    this.d.metadata.generation++;
  }

  tick(sec = 1): void { this.now += sec * 1000; }

  /** One Deployment sync, applied. */
  syncDeployment(): DeploymentPlan {
    const plan = planDeployment(this.d, this.rss, podsByReplicaSet(this.d, this.rss, this.pods), new Date(this.now));
    this.plans.push(plan);
    for (const a of plan.actions) {
      if (a.op === 'create') {
        const rs = structuredClone(a.replicaSet);
        rs.metadata.uid = `uid-${rs.metadata.name}`;
        rs.metadata.creationTimestamp = iso(this.now);
        rs.metadata.generation = 1;
        rs.status = {};
        this.rss.push(rs);
      } else if (a.op === 'update') {
        const i = this.rss.findIndex((r) => r.metadata.uid === a.replicaSet.metadata.uid);
        const next = structuredClone(a.replicaSet);
        if (JSON.stringify(next.spec) !== JSON.stringify(this.rss[i].spec)) next.metadata.generation = (next.metadata.generation ?? 1) + 1;
        this.rss[i] = next;
      } else if (a.op === 'delete') {
        this.rss = this.rss.filter((r) => r.metadata.uid !== a.replicaSet.metadata.uid);
      } else {
        const r = this.rss.find((x) => x.metadata.uid === a.replicaSet.metadata.uid);
        r.metadata.ownerReferences = a.ownerReferences;
      }
      if ('events' in a) for (const e of a.events) this.events.push(e.message);
    }
    for (const e of plan.events) this.events.push(e.message);
    if (plan.annotations) this.d.metadata.annotations = plan.annotations;
    if (plan.status) this.d.status = plan.status;
    return plan;
  }

  /** One ReplicaSet controller pass over every ReplicaSet: pods created/deleted, status written. */
  syncReplicaSets(): void {
    const now = new Date(this.now);
    for (const rs of this.rss) {
      const claim = claimPods(rs, this.pods);
      const plan = planReplicaSet(rs, claim.owned, { now });
      for (let i = 0; i < plan.create; i++) {
        const pod = podFromTemplate(rs);
        pod.metadata.name = `${pod.metadata.generateName}${++this.seq}`;
        pod.metadata.uid = `pod-${this.seq}`;
        pod.metadata.creationTimestamp = iso(this.now);
        pod.spec.nodeName = 'node-1';
        pod.status = { phase: 'Pending' };
        this.pods.push(pod);
      }
      // Deleted pods go away at once here; terminatingPods() can hold them instead.
      const doomed = new Set(plan.delete.map((p) => p.metadata.uid));
      if (this.holdTerminating) for (const p of this.pods) { if (doomed.has(p.metadata.uid)) p.metadata.deletionTimestamp = iso(this.now); }
      else this.pods = this.pods.filter((p) => !doomed.has(p.metadata.uid));
      rs.status = replicaSetStatus(rs, claimPods(rs, this.pods).owned, now).status;
    }
  }

  holdTerminating = false;

  /** Pods being deleted finish terminating. */
  finishTerminating(): void { this.pods = this.pods.filter((p) => !p.metadata.deletionTimestamp); }

  /** Marks pods (all not-ready ones by default) Running and Ready as of now. */
  makeReady(filter: (p: any) => boolean = () => true): void {
    for (const p of this.pods) {
      if (p.metadata.deletionTimestamp || !filter(p)) continue;
      if (p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')) continue;
      p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(this.now) }] };
    }
  }

  /** Deployment sync, ReplicaSet sync, pods ready, ReplicaSet status again. */
  step(ready = true): DeploymentPlan {
    const plan = this.syncDeployment();
    this.syncReplicaSets();
    if (ready) this.makeReady();
    this.tick();
    this.syncReplicaSets();
    return plan;
  }

  /** kubectl rollout status's verdict from the Deployment's fields. */
  rolloutDone(): boolean {
    const s = this.d.status;
    const want = this.d.spec.replicas;
    return (s.observedGeneration ?? 0) >= this.d.metadata.generation && (s.updatedReplicas ?? 0) === want
      && (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0);
  }
}
