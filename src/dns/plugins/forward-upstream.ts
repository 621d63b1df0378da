// One upstream of the forward plugin and its in-band health state, as CoreDNS's
// plugin/pkg/proxy keeps it: a failed query starts a probe (`. IN NS`, recursion desired)
// that repeats every health_check interval until one succeeds; each failed probe counts one
// fail, a success resets the count, and more than max_fails fails mark the upstream down.
// Queries alone never mark an upstream down; they only start the probe. At most one probe
// runs per upstream.

import { isIP } from 'node:net';
import type { ForwardUpstream } from '../corefile/types.ts';
import type { ExchangeTarget } from './forward-exchange.ts';
import { upstreamLabel } from './forward-exchange.ts';

export interface UpstreamHooks {
  intervalMs: number;
  /** Resolves when the upstream answered a health query at all (any rcode is healthy). */
  check(u: Upstream): Promise<void>;
  onCheckFailed(u: Upstream, err: unknown): void;
  /** A check succeeded after `previousFails` failed ones. */
  onRecovered(u: Upstream, previousFails: number): void;
}

export class Upstream implements ExchangeTarget {
  readonly host: string;
  readonly port: number;
  /** `host:port` (`[v6]:port`), the `to` label of the forward metrics. */
  readonly label: string;
  /** Consecutive failed health checks. */
  fails = 0;
  private readonly hooks: UpstreamHooks;
  private probing = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private sleepTimer: NodeJS.Timeout | undefined;

  constructor(target: ExchangeTarget, hooks: UpstreamHooks) {
    this.host = target.host;
    this.port = target.port;
    this.label = upstreamLabel(target);
    this.hooks = hooks;
  }

  /** Down once fails exceed maxFails; maxFails 0 means never (health checking off). */
  down(maxFails: number): boolean {
    return maxFails !== 0 && this.fails > maxFails;
  }

  /** Starts the probe loop unless one is running already. */
  healthcheck(): void {
    if (this.probing || this.stopped) return;
    this.probing = true;
    void this.probe();
  }

  private async probe(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.hooks.check(this);
        if (this.stopped) break;
        const previousFails = this.fails;
        this.fails = 0;
        if (previousFails > 0) this.hooks.onRecovered(this, previousFails);
        break;
      } catch (err) {
        if (this.stopped) break;
        this.fails++;
        this.hooks.onCheckFailed(this, err);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        // Probing is background work: it must not keep an otherwise finished process alive.
        this.sleepTimer = setTimeout(resolve, this.hooks.intervalMs).unref();
      });
      this.wake = undefined;
      this.sleepTimer = undefined;
    }
    this.probing = false;
  }

  /** Ends the probe loop; a check in flight is ended by the plugin's abort signal. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.sleepTimer);
    this.wake?.();
  }
}

/** The `nameserver` addresses of resolv.conf(5) text, in file order; other lines are ignored. */
export function parseResolvConf(content: string): string[] {
  const out: string[] = [];
  for (const raw of content.split('\n')) {
    const fields = raw.replace(/[#;].*/, '').trim().split(/\s+/);
    if (fields[0] !== 'nameserver' || fields.length < 2) continue;
    // A zone suffix (fe80::1%eth0) is kept: the socket layer needs it to pick the link.
    if (isIP(fields[1].split('%')[0]) !== 0) out.push(fields[1]);
  }
  return out;
}

/**
 * The upstream addresses of a `forward` line: resolv.conf entries expanded (port 53, as
 * CoreDNS reads them), duplicates dropped with the first occurrence kept. A file that cannot
 * be read contributes nothing; `onUnreadable` hears why.
 */
export function expandUpstreams(
  to: readonly ForwardUpstream[],
  readFile: (path: string) => string,
  onUnreadable: (path: string, err: unknown) => void,
): ExchangeTarget[] {
  const seen = new Set<string>();
  const out: ExchangeTarget[] = [];
  const add = (t: ExchangeTarget) => {
    const key = upstreamLabel(t);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(t);
  };
  for (const u of to) {
    if (u.kind === 'address') {
      add({ host: u.host, port: u.port });
      continue;
    }
    let content: string;
    try {
      content = readFile(u.path);
    } catch (err) {
      onUnreadable(u.path, err);
      continue;
    }
    for (const host of parseResolvConf(content)) add({ host, port: 53 });
  }
  return out;
}
