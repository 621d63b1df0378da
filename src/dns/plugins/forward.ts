// The `forward` plugin (coredns plugin/forward, plugin/pkg/proxy): names under FROM, minus
// the `except` zones, are sent to the upstreams; everything else goes down the chain.
// - Upstreams are tried in the policy's order (random, round_robin, sequential). An upstream
//   that fails a query starts its health probe; one marked down is skipped, and when all are
//   down one is picked at random (CoreDNS without failfast_all_unhealthy_upstreams).
// - Each try waits at most read_timeout (2 s); the whole query at most 5 s and 2 tries per
//   upstream (CoreDNS defaultTimeout, defaultConnectAttemptsPerUpstream). Giving up throws a
//   ForwardError, which the `errors` plugin logs and turns into SERVFAIL, as CoreDNS's handler
//   returns (SERVFAIL, err).
// - The upstream transport is the client's, or TCP with force_tcp, or UDP with prefer_udp. A
//   truncated UDP answer is asked again over TCP at once: DnsResponse cannot carry TC, so
//   passing the partial answer on (what CoreDNS does without prefer_udp) would hand the client
//   an incomplete answer that looks complete. The server re-truncates for the client's size.
// - The client's message goes out as it came (flags, EDNS size, DO, options) under a fresh
//   random id; the answer's rcode, AA, RA and sections come back untouched (the server puts the
//   client's id back). A reply whose question differs from ours is answered FORMERR.

import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import type { Logger } from '../../lib/log.ts';
import type { ForwardConfig } from '../corefile/types.ts';
import type { DnsPlugin, DnsRequest, DnsResponse } from '../server/plugin.ts';
import { decodeHeader, decodeMessage } from '../wire/decode.ts';
import { encodeMessage, fullRcode } from '../wire/encode.ts';
import { DnsFormatError } from '../wire/errors.ts';
import { isSubdomain, nameEquals } from '../wire/names.ts';
import { Rcode, RRType, type DnsMessage } from '../wire/types.ts';
import { exchange, ForwardError, type UpstreamTransport } from './forward-exchange.ts';
import { expandUpstreams, Upstream } from './forward-upstream.ts';
import type { DnsMetrics } from './metrics.ts';
import { rcodeLabel } from './prometheus.ts';
import { newQuery } from '../wire/query.ts';

export { ForwardError, type ForwardErrorCode } from './forward-exchange.ts';
export { parseResolvConf } from './forward-upstream.ts';

export interface ForwardPluginOptions {
  metrics?: DnsMetrics;
  log?: Logger;
  /** Reads a resolv.conf named as an upstream; default fs.readFileSync. Read once, at creation. */
  resolvConf?: (path: string) => string;
  /** Clock for the per-query deadline (ms). */
  now?: () => number;
  /** Uniform in [0, 1), for the random policy and the pick when every upstream is down. */
  random?: () => number;
  /** One try's wait for an answer; CoreDNS read_timeout, default 2000. */
  readTimeoutMs?: number;
  /** A whole query's budget across tries; CoreDNS defaultTimeout, default 5000. */
  timeoutMs?: number;
  /** One health check's wait; CoreDNS's health checker uses 1 s. */
  healthCheckTimeoutMs?: number;
}

/** A forwarded answer also carries the upstream's RA bit, for a server that chooses to copy it. */
export interface ForwardedResponse extends DnsResponse {
  ra: boolean;
}

export interface ForwardPlugin extends DnsPlugin {
  /** Stops health checks and ends every exchange in flight; later queries throw ForwardError('closed'). */
  close(): void;
  /** Per upstream, in configuration order (resolv.conf entries expanded): not marked down. */
  healthy(): boolean[];
  /** The upstreams' `host:port` labels, in the same order as healthy(). */
  upstreams(): string[];
}

const CONNECT_ATTEMPTS_PER_UPSTREAM = 2;

export function createForwardPlugin(cfg: ForwardConfig, opts: ForwardPluginOptions = {}): ForwardPlugin {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const readTimeoutMs = opts.readTimeoutMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const hcTimeoutMs = opts.healthCheckTimeoutMs ?? 1000;
  const log = opts.log ?? (() => {});
  const metrics = opts.metrics;
  const aborter = new AbortController();
  let closed = false;
  let inFlight = 0;
  let robin = 0;

  const targets = expandUpstreams(cfg.to, opts.resolvConf ?? ((p) => readFileSync(p, 'utf8')), (path, err) =>
    log('forward: cannot read resolv.conf', { path, error: err instanceof Error ? err.message : String(err) }));
  if (targets.length === 0) log('forward: no upstreams; matching queries will get SERVFAIL', { from: cfg.from || '.' });

  const hcTransport: UpstreamTransport = cfg.forceTcp ? 'tcp' : 'udp';
  const upstreams = targets.map((t) => new Upstream(t, {
    intervalMs: cfg.healthCheckMs,
    check: (u) => exchange(u, healthQuery(), hcTransport, { timeoutMs: hcTimeoutMs, signal: aborter.signal, background: true }).then(() => undefined),
    onCheckFailed: (u, err) => {
      metrics?.forwardHealthcheckFailures.inc({ to: u.label });
      if (u.fails === cfg.maxFails + 1) log('forward: upstream marked down', { to: u.label, error: errorText(err) });
    },
    onRecovered: (u, previousFails) => {
      if (previousFails > cfg.maxFails) log('forward: upstream healthy again', { to: u.label });
    },
  }));

  function matches(name: string): boolean {
    if (!isSubdomain(name, cfg.from)) return false;
    // The FROM name itself is forwarded even when an `except` zone covers it (CoreDNS isAllowedDomain).
    return nameEquals(name, cfg.from) || !cfg.except.some((zone) => isSubdomain(name, zone));
  }

  function ordered(): Upstream[] {
    if (cfg.policy === 'sequential' || upstreams.length < 2) return upstreams;
    if (cfg.policy === 'round_robin') {
      const i = ++robin % upstreams.length;
      return [upstreams[i], ...upstreams.slice(0, i), ...upstreams.slice(i + 1)];
    }
    const list = [...upstreams];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }

  /** One try: the answer, or a ForwardError. A truncated UDP answer is fetched again over TCP. */
  async function ask(u: Upstream, encoded: Uint8Array, transport: UpstreamTransport, deadline: number): Promise<DnsMessage> {
    const wait = () => Math.max(1, Math.min(readTimeoutMs, deadline - now()));
    const wire = withId(encoded, randomInt(0, 0x10000));
    metrics?.forwardRequests.inc({ to: u.label });
    let reply = await exchange(u, wire, transport, { timeoutMs: wait(), signal: aborter.signal });
    if (transport === 'udp' && decodeHeader(reply)?.tc) {
      metrics?.forwardRequests.inc({ to: u.label });
      reply = await exchange(u, wire, 'tcp', { timeoutMs: wait(), signal: aborter.signal });
    }
    let msg: DnsMessage;
    try {
      msg = decodeMessage(reply);
    } catch (err) {
      if (!(err instanceof DnsFormatError)) throw err;
      throw new ForwardError('bad-reply', `${u.label}: malformed answer (${err.message})`, { cause: err });
    }
    metrics?.forwardResponses.inc({ to: u.label, rcode: rcodeLabel(fullRcode(msg)) });
    return msg;
  }

  async function forward(req: DnsRequest): Promise<DnsResponse> {
    if (closed) throw new ForwardError('closed', 'forwarder is closed');
    if (upstreams.length === 0) throw new ForwardError('no-upstreams', `no upstreams to forward "${req.question.name}" to`);
    // Encoded once; each try only changes the id. The server puts the client's id back.
    const encoded = encodeMessage({ ...req.message, questions: [req.question] });
    const transport: UpstreamTransport = cfg.forceTcp ? 'tcp' : cfg.preferUdp ? 'udp' : req.client.transport;
    const deadline = now() + timeoutMs;
    const maxAttempts = CONNECT_ATTEMPTS_PER_UPSTREAM * upstreams.length;
    const list = ordered();
    let i = 0;
    let downSkipped = 0;
    let attempts = 0;
    let lastError: unknown;
    // Mirrors CoreDNS Forward.ServeDNS: walk the list (again from the top when it runs out)
    // until an answer, the deadline, or the attempt budget.
    while (now() < deadline && !closed && attempts < maxAttempts) {
      if (i >= list.length) {
        i = 0;
        downSkipped = 0;
      }
      let u = list[i++];
      if (u.down(cfg.maxFails)) {
        downSkipped++;
        if (downSkipped < upstreams.length) continue;
        // Every upstream looks down: the health checks may be what is broken, so try one anyway.
        u = upstreams[Math.floor(random() * upstreams.length)];
      }
      let msg: DnsMessage;
      try {
        msg = await ask(u, encoded, transport, deadline);
      } catch (err) {
        lastError = err;
        if (err instanceof ForwardError && err.code === 'closed') break;
        if (cfg.maxFails !== 0) u.healthcheck();
        attempts++;
        if (downSkipped < upstreams.length) continue;
        break;
      }
      if (!replyMatches(msg, req)) return { rcode: Rcode.FORMERR, answers: [], authority: [], additional: [] };
      const res: ForwardedResponse = {
        rcode: fullRcode(msg), aa: msg.aa, ra: msg.ra, answers: msg.answers, authority: msg.authority, additional: msg.additional,
      };
      return res;
    }
    if (lastError instanceof ForwardError) throw lastError;
    if (lastError !== undefined) throw new ForwardError('io', errorText(lastError), { cause: lastError });
    if (closed) throw new ForwardError('closed', 'forwarder is closed');
    throw new ForwardError('no-healthy', `no healthy upstream answered "${req.question.name}" in time`);
  }

  return {
    name: 'forward',
    async handle(req, next) {
      if (!matches(req.question.name)) return next(req);
      if (cfg.maxConcurrent !== null && inFlight >= cfg.maxConcurrent) {
        metrics?.forwardMaxConcurrentRejects.inc();
        return { rcode: Rcode.REFUSED, answers: [], authority: [], additional: [] };
      }
      inFlight++;
      try {
        return await forward(req);
      } finally {
        inFlight--;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const u of upstreams) u.stop();
      aborter.abort();
    },
    healthy: () => upstreams.map((u) => !u.down(cfg.maxFails)),
    upstreams: () => upstreams.map((u) => u.label),
  };
}

/** `. IN NS` with RD set, the probe CoreDNS sends (health_check without no_rec). */
function healthQuery(): Uint8Array {
  return encodeMessage(newQuery('', RRType.NS, { id: randomInt(0, 0x10000) }));
}

function withId(wire: Uint8Array, id: number): Uint8Array {
  const copy = new Uint8Array(wire);
  copy[0] = id >> 8;
  copy[1] = id & 0xff;
  return copy;
}

/** CoreDNS request.Match: exactly our question came back, in a response. */
function replyMatches(msg: DnsMessage, req: DnsRequest): boolean {
  if (!msg.qr || msg.questions.length !== 1) return false;
  const q = msg.questions[0];
  return q.type === req.question.type && q.class === req.question.class && nameEquals(q.name, req.question.name);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
