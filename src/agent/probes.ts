// The probes of one running container, as the kubelet runs them: a startup probe first (the
// others wait for it), then readiness and liveness every periodSeconds after
// initialDelaySeconds, each with its timeout and its success/failure thresholds. Readiness
// flips the container's ready flag (and so the pod's Ready condition and its endpoints);
// a failed liveness or startup probe asks the worker to restart the container.

import type { NetworkProber, ProbeResult } from './prober.ts';

type Kind = 'startup' | 'readiness' | 'liveness';
const LABEL: Record<Kind, string> = { startup: 'Startup', readiness: 'Readiness', liveness: 'Liveness' };

export interface ProbeHooks {
  container: any;
  podIP(): string | undefined;
  prober: NetworkProber;
  exec(argv: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }>;
  /** Readiness changed (also called once when a container without a readiness probe starts). */
  onReady(ready: boolean): void;
  onStarted(): void;
  /** Liveness or startup failed past its threshold: restart the container. */
  onKill(message: string): void;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export class ContainerProbes {
  private h: ProbeHooks;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private startupDone: boolean;
  ready = false;

  constructor(h: ProbeHooks) {
    this.h = h;
    this.startupDone = !h.container.startupProbe;
  }

  start(): void {
    const c = this.h.container;
    if (this.startupDone) this.h.onStarted();
    if (!c.readinessProbe && this.startupDone) this.setReady(true);
    if (c.startupProbe) this.schedule('startup', c.startupProbe);
    else this.startMain();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  private startMain(): void {
    const c = this.h.container;
    if (c.readinessProbe) this.schedule('readiness', c.readinessProbe);
    else this.setReady(true);
    if (c.livenessProbe) this.schedule('liveness', c.livenessProbe);
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.h.onReady(ready);
  }

  private schedule(kind: Kind, probe: any): void {
    const period = Math.max(1, probe.periodSeconds ?? 10) * 1000;
    const success = Math.max(1, probe.successThreshold ?? 1);
    const failure = Math.max(1, probe.failureThreshold ?? 3);
    let okRun = 0;
    let failRun = 0;
    const tick = async () => {
      if (this.stopped) return;
      const r = await this.run(probe);
      if (this.stopped) return;
      if (r.ok) {
        okRun++;
        failRun = 0;
      } else {
        failRun++;
        okRun = 0;
        this.h.event('Warning', 'Unhealthy', `${LABEL[kind]} probe failed: ${r.message}`);
      }
      if (kind === 'readiness') {
        if (okRun >= success) this.setReady(true);
        if (failRun >= failure) this.setReady(false);
      } else if (kind === 'startup' && okRun >= 1) {
        this.startupDone = true;
        this.h.onStarted();
        this.startMain();
        return; // the startup probe stops once it succeeded
      } else if (failRun >= failure) {
        this.stop();
        this.h.event('Normal', 'Killing', `Container ${this.h.container.name} failed ${kind} probe, will be restarted`);
        this.h.onKill(r.message);
        return;
      }
      this.timers.push(setTimeout(() => void tick(), period));
    };
    this.timers.push(setTimeout(() => void tick(), Math.max(0, probe.initialDelaySeconds ?? 0) * 1000));
  }

  private async run(probe: any): Promise<ProbeResult> {
    const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
    if (probe.exec) {
      const r = await this.h.exec(probe.exec.command ?? [], timeoutMs);
      return { ok: r.exitCode === 0, message: r.exitCode === 0 ? '' : r.output.trim() || `command ${JSON.stringify((probe.exec.command ?? []).join(' '))} exited with ${r.exitCode}` };
    }
    const target = probe.httpGet ?? probe.tcpSocket;
    if (!target) return { ok: false, message: 'the probe has no handler (exec, httpGet or tcpSocket)' };
    const host = target.host || this.h.podIP();
    if (!host) return { ok: false, message: 'the pod has no IP yet' };
    const port = this.resolvePort(target.port);
    if (port === undefined) return { ok: false, message: `unknown port ${JSON.stringify(target.port)}` };
    if (probe.httpGet) {
      return this.h.prober.probe({ kind: 'http', host, port, path: probe.httpGet.path ?? '/', scheme: probe.httpGet.scheme, headers: probe.httpGet.httpHeaders, timeoutMs });
    }
    return this.h.prober.probe({ kind: 'tcp', host, port, timeoutMs });
  }

  /** A named port refers to the container's ports by name (as upstream's probe target resolution). */
  private resolvePort(p: number | string): number | undefined {
    if (typeof p === 'number') return p;
    if (/^\d+$/.test(String(p))) return Number(p);
    return (this.h.container.ports ?? []).find((x: any) => x.name === p)?.containerPort;
  }
}
