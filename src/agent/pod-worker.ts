// One pod on one node, from bind to removal (the kubelet's pod worker and its runtime calls):
//   start:  network namespace -> CNI ADD -> sandbox (hostname, hosts, resolv.conf, token)
//           -> init containers one by one -> containers;
//   run:    container exits are restarted per restartPolicy with back-off (10 s doubling to
//           5 min, CrashLoopBackOff while waiting), and every change is reported as status;
//   stop:   SIGTERM, terminationGracePeriodSeconds, SIGKILL -> sandbox gone -> CNI DEL ->
//           namespace deleted, then the API object is removed.
// A start that fails part-way undoes what it did and reports why (an Event and the waiting
// reason), then is retried with back-off.

import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { startSandbox } from './sandbox.ts';
import type { Sandbox, SandboxFiles } from './sandbox.ts';
import { runInContainer, startContainer } from './containers.ts';
import { rfc3339 } from '../lib/time.ts';
import { ContainerProbes } from './probes.ts';
import type { NetworkProber } from './prober.ts';
import type { RunningContainer } from './containers.ts';
import type { ContainerState, ContainerView, PodView } from './status.ts';
import type { ContainerAccess } from './kubelet-api/types.ts';

export interface PodNetwork {
  /** Creates the pod's network namespace and wires it through CNI; returns its IPs. */
  setup(pod: any, netns: string): Promise<string[]>;
  /** CNI DEL and namespace removal; idempotent. */
  teardown(pod: any, netns: string): Promise<void>;
}

export type ProgramChoice = { argv: string[]; env?: Record<string, string> } | { error: { reason: string; message: string } };

export interface PodWorkerDeps {
  network: PodNetwork;
  /** Directories hidden from the pod's containers (see startSandbox). */
  hiddenPaths: string[];
  /** httpGet and tcpSocket probes, run from the node's network namespace. */
  prober: NetworkProber;
  program(container: any): ProgramChoice;
  /** Files for the sandbox once the IPs are known. */
  files(pod: any, ips: string[]): Promise<SandboxFiles>;
  /** Environment of a container, or why it cannot be built. */
  env(pod: any, container: any, ips: string[]): { env: Record<string, string> } | { error: { reason: string; message: string } };
  event(pod: any, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Something changed: the agent recomputes and writes the status. */
  changed(): void;
  hostIP: string;
  dir: string;
  netns: string;
  restartBackoff?: { initialMs: number; maxMs: number };
  log(msg: string, fields?: Record<string, unknown>): void;
}

/** The kubelet's crash-loop back-off: 10 s doubling to 5 min. */
export const DEFAULT_RESTART_BACKOFF = { initialMs: 10_000, maxMs: 300_000 };

interface ContainerSlot {
  spec: any;
  view: ContainerView;
  proc?: RunningContainer;
  probes?: ContainerProbes;
  backoffMs: number;
  /** Ends a pending back-off wait at once (stop). */
  wake?: () => void;
  timer?: NodeJS.Timeout;
}

export class PodWorker {
  private deps: PodWorkerDeps;
  pod: any;
  private sandbox?: Sandbox;
  private ips: string[] = [];
  private init: ContainerSlot[] = [];
  private main: ContainerSlot[] = [];
  private failure?: { reason: string; message: string };
  private stopping = false;
  private started = false;
  private startTime?: string;
  private seq = 0;

  constructor(pod: any, deps: PodWorkerDeps) {
    this.pod = pod;
    this.deps = deps;
    const slot = (c: any): ContainerSlot => ({
      spec: c, backoffMs: (deps.restartBackoff ?? DEFAULT_RESTART_BACKOFF).initialMs,
      view: { name: c.name, image: c.image, state: { kind: 'waiting', reason: 'ContainerCreating' }, restartCount: 0, ready: false, started: false },
    });
    this.init = (pod.spec.initContainers ?? []).map(slot);
    this.main = (pod.spec.containers ?? []).map(slot);
  }

  view(): PodView {
    return {
      sandboxReady: !!this.sandbox, podIPs: this.ips, hostIP: this.deps.hostIP, startTime: this.startTime,
      initContainers: this.init.map((s) => s.view), containers: this.main.map((s) => s.view), failure: this.failure,
    };
  }

  private starting?: Promise<void>;

  /** Starts the pod once; throws (after undoing) when the sandbox cannot be made. */
  start(): Promise<void> {
    if (this.started || this.stopping) return Promise.resolve();
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.startTime ??= rfc3339(new Date());
    try {
      this.ips = await this.deps.network.setup(this.pod, this.deps.netns);
      const files = await this.deps.files(this.pod, this.ips);
      this.sandbox = await startSandbox(this.deps.netns, this.deps.dir, files, this.deps.hiddenPaths);
      this.failure = undefined;
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      this.failure = { reason: 'FailedCreatePodSandBox', message };
      for (const s of [...this.init, ...this.main]) s.view.state = { kind: 'waiting', reason: 'ContainerCreating' };
      this.deps.event(this.pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message}`);
      this.sandbox?.stop();
      this.sandbox = undefined;
      await this.deps.network.teardown(this.pod, this.deps.netns).catch(() => {});
      this.ips = [];
      this.deps.changed();
      throw err;
    }
    this.started = true;
    if (this.stopping) return; // stop() waits for this start, then tears down what it made
    this.deps.changed();
    void this.runContainers();
  }

  private async runContainers(): Promise<void> {
    for (const s of this.init) {
      for (;;) {
        if (this.stopping) return;
        const exit = await this.runOnce(s);
        if (exit === 0) break;
        if (this.stopping) return;
        if (exit === undefined) {
          await this.waitRetry(s); // could not start (config, program): not a crash
          continue;
        }
        const policy = this.pod.spec.restartPolicy ?? 'Always';
        if (policy === 'Never') return; // the pod fails
        await this.waitBackoff(s);
      }
    }
    for (const s of this.main) void this.supervise(s);
  }

  private async supervise(s: ContainerSlot): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const exit = await this.runOnce(s);
      if (this.stopping) return;
      if (exit === undefined) {
        // Could not start (a ConfigMap or Secret missing, no program): retried, as the kubelet
        // does, without counting a restart; the waiting reason stays what it is.
        await this.waitRetry(s);
        continue;
      }
      const policy = this.pod.spec.restartPolicy ?? 'Always';
      if (this.stopping || policy === 'Never' || (policy === 'OnFailure' && exit === 0)) return;
      await this.waitBackoff(s);
    }
  }

  /** Runs a container to its end; the exit code, or undefined when it could not start. */
  private async runOnce(s: ContainerSlot): Promise<number | undefined> {
    const prog = this.deps.program(s.spec);
    if ('error' in prog) {
      this.setWaiting(s, prog.error.reason, prog.error.message);
      this.deps.event(this.pod, 'Warning', 'Failed', `Error: ${prog.error.reason}: ${prog.error.message}`);
      return undefined;
    }
    const envResult = this.deps.env(this.pod, s.spec, this.ips);
    if ('error' in envResult) {
      this.setWaiting(s, envResult.error.reason, envResult.error.message);
      this.deps.event(this.pod, 'Warning', 'Failed', `Error: ${envResult.error.message}`);
      return undefined;
    }
    const id = `knet://${this.pod.metadata.uid.slice(0, 8)}-${s.spec.name}-${++this.seq}`;
    this.deps.event(this.pod, 'Normal', 'Created', `Created container: ${s.spec.name}`);
    if (!this.sandbox || this.stopping) return undefined;
    let proc: RunningContainer;
    try {
      proc = await startContainer(this.sandbox.initPid, {
        // As container runtimes do: HOSTNAME and HOME are set unless the pod sets them.
        argv: prog.argv, env: { HOSTNAME: this.pod.spec.hostname || this.pod.metadata.name, HOME: '/root', ...(prog.env ?? {}), ...envResult.env }, workingDir: s.spec.workingDir,
        logPath: join(this.deps.dir, `${s.spec.name}-${s.view.restartCount}.log`), securityContext: { ...(this.pod.spec.securityContext ?? {}), ...(s.spec.securityContext ?? {}) },
      });
    } catch (err) {
      this.setWaiting(s, 'RunContainerError', String((err as Error).message));
      return undefined;
    }
    s.proc = proc;
    s.view = { ...s.view, containerID: id, state: { kind: 'running', startedAt: proc.startedAt }, started: !s.spec.startupProbe, ready: false };
    this.deps.event(this.pod, 'Normal', 'Started', `Started container ${s.spec.name}`);
    const env = { ...envResult.env, ...(prog.env ?? {}) };
    const sc = { ...(this.pod.spec.securityContext ?? {}), ...(s.spec.securityContext ?? {}) };
    s.probes = new ContainerProbes({
      container: s.spec,
      podIP: () => this.ips[0],
      prober: this.deps.prober,
      // A probe may fire while the pod is being torn down: then there is nothing to run in.
      exec: (argv, timeoutMs) => (this.sandbox ? runInContainer(this.sandbox.initPid, argv, env, timeoutMs, sc) : Promise.resolve({ exitCode: 1, output: 'the pod is stopping' })),
      onReady: (ready) => {
        if (s.proc !== proc) return;
        s.view = { ...s.view, ready };
        this.deps.changed();
      },
      onStarted: () => {
        if (s.proc !== proc) return;
        s.view = { ...s.view, started: true };
        this.deps.changed();
      },
      onKill: () => proc.signal('SIGTERM'),
      event: (type, reason, message) => this.deps.event(this.pod, type, reason, message),
    });
    s.probes.start();
    this.deps.changed();
    const exit = await proc.exited;
    s.probes.stop();
    s.probes = undefined;
    s.proc = undefined;
    const finishedAt = rfc3339(new Date());
    const terminated: ContainerState = {
      kind: 'terminated', exitCode: exit.exitCode, reason: exit.exitCode === 0 ? 'Completed' : 'Error',
      startedAt: proc.startedAt, finishedAt, ...(exit.signal ? { signal: exit.signal } : {}),
    };
    s.view = { ...s.view, state: terminated, ready: false, started: false };
    this.deps.changed();
    return exit.exitCode;
  }

  private setWaiting(s: ContainerSlot, reason: string, message: string): void {
    s.view = { ...s.view, state: { kind: 'waiting', reason, message }, ready: false, started: false };
    this.deps.changed();
  }

  /** Waits the container's back-off before trying to start it again (no restart counted). */
  private async waitRetry(s: ContainerSlot): Promise<void> {
    const delay = s.backoffMs;
    s.backoffMs = Math.min(s.backoffMs * 2, (this.deps.restartBackoff ?? DEFAULT_RESTART_BACKOFF).maxMs);
    await this.sleepFor(s, delay);
  }

  /** A wait that stop() ends at once. */
  private sleepFor(s: ContainerSlot, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      s.wake = resolve;
      s.timer = setTimeout(resolve, ms);
    }).finally(() => {
      s.timer = undefined;
      s.wake = undefined;
    });
  }

  /** CrashLoopBackOff: the last termination moves to lastState while the container waits. */
  private async waitBackoff(s: ContainerSlot): Promise<void> {
    const last = s.view.state;
    const delay = s.backoffMs;
    s.backoffMs = Math.min(s.backoffMs * 2, (this.deps.restartBackoff ?? DEFAULT_RESTART_BACKOFF).maxMs);
    s.view = {
      ...s.view, lastState: last, restartCount: s.view.restartCount + 1, ready: false, started: false,
      state: { kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${s.spec.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})` },
    };
    this.deps.event(this.pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    this.deps.changed();
    await this.sleepFor(s, delay);
  }

  /**
   * Graceful stop, then teardown of the sandbox and network. The pod directory (container
   * logs) stays unless `removeFiles`: a finished pod keeps its logs until it is deleted.
   */
  async stop(graceSeconds: number, removeFiles = true): Promise<void> {
    if (this.stopping) {
      // Stopped before: repeat whatever teardown did not complete (each step is idempotent).
      await this.teardown(removeFiles);
      return;
    }
    this.stopping = true;
    await this.starting?.catch(() => {});
    const all = [...this.init, ...this.main];
    for (const s of all) {
      if (s.timer) clearTimeout(s.timer);
      s.wake?.();
    }
    const running = all.filter((s) => s.proc);
    for (const s of running) {
      this.deps.event(this.pod, 'Normal', 'Killing', `Stopping container ${s.spec.name}`);
      s.proc!.signal('SIGTERM');
    }
    const exits = Promise.all(running.map((s) => s.proc!.exited));
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), Math.max(0, graceSeconds) * 1000).unref());
    if ((await Promise.race([exits, timeout])) === 'timeout') for (const s of running) s.proc?.signal('SIGKILL');
    await this.teardown(removeFiles);
  }

  private networkDown = false;

  /** Sandbox, then network; a step that failed is tried again on the next stop(). */
  private async teardown(removeFiles: boolean): Promise<void> {
    if (this.sandbox) {
      this.sandbox.stop();
      await this.sandbox.exited;
      this.sandbox = undefined;
    }
    if (!this.networkDown) {
      await this.deps.network.teardown(this.pod, this.deps.netns);
      this.networkDown = true;
    }
    if (removeFiles) rmSync(this.deps.dir, { recursive: true, force: true });
  }

  // --- kubelet API (logs, exec, port-forward): read-only access for src/agent/kubelet-api ---
  /** One container's runtime facts, or undefined when the pod has no container of that name. */
  containerAccess(name: string): ContainerAccess | undefined {
    const s = [...this.main, ...this.init].find((x) => x.spec.name === name);
    if (!s) return undefined;
    return {
      namespace: this.pod.metadata.namespace, pod: this.pod.metadata.name, podUID: this.pod.metadata.uid,
      initPid: this.sandbox?.initPid, pid: s.proc?.pid, view: s.view,
      logPath: (restart) => join(this.deps.dir, `${name}-${restart}.log`),
      securityContext: { ...(this.pod.spec.securityContext ?? {}), ...(s.spec.securityContext ?? {}) },
      workingDir: s.spec.workingDir,
      execArgv: (argv) => {
        const prog = this.deps.program({ ...s.spec, command: argv, args: [] });
        return 'argv' in prog ? prog.argv : argv;
      },
    };
  }

  /** PID 1 of the pod's sandbox while it exists. */
  sandboxPid(): number | undefined {
    return this.sandbox?.initPid;
  }
}
