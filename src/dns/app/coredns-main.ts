// The `coredns` built-in image program: knet's cluster DNS server as a pod runs it. It reads
// the cluster with the pod's service-account token, the Corefile from the ConfigMap
// `coredns` of its own namespace (pods have no volumes in knet, so `-conf FILE` is used
// only when the file exists), names itself by its pod IPs, logs as CoreDNS does
// (`[INFO] plugin/reload: ...`) on stdout, and on SIGTERM goes lameduck, then exits 0.

import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { KubeClient } from '../../k8s/client.ts';
import type { Logger } from '../../lib/log.ts';
import { startClusterDns } from './cluster-dns.ts';
import type { CorefileSourceSpec } from './corefile-source.ts';
import { inClusterConfig } from './in-cluster.ts';

export const COREDNS_VERSION = 'CoreDNS-knet';
export const COREFILE_CONFIGMAP = 'coredns';

export interface CoreDnsFlags {
  conf?: string;
  version: boolean;
}

export class UsageError extends Error {}

/** Go `flag` syntax: `-conf FILE`, `-conf=FILE`, `--conf FILE`; `-version`. */
export function parseCoreDnsArgs(args: readonly string[]): CoreDnsFlags {
  const flags: CoreDnsFlags = { version: false };
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([a-z.]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) throw new UsageError(`unexpected argument "${args[i]}"`);
    const [, name, inline] = m;
    if (name === 'version') flags.version = inline === undefined || inline === 'true';
    else if (name === 'conf') {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError('flag needs an argument: -conf');
      flags.conf = v;
    } else throw new UsageError(`flag provided but not defined: -${name}`);
  }
  return flags;
}

/**
 * CoreDNS-shaped lines from knet's structured log calls: `level` and `plugin` fields become
 * `[LEVEL] plugin/NAME: `; the `log` plugin's lines are already complete; `banner` lines are
 * written as they are (`.:53`).
 */
export function coreDnsLogger(write: (line: string) => void): Logger {
  return (msg, fields = {}) => {
    const { level, plugin, ...rest } = fields as { level?: string; plugin?: string } & Record<string, unknown>;
    if (level === 'banner') return write(`${msg}\n`);
    const tag = `[${String(level ?? 'info').toUpperCase()}] ${plugin ? `plugin/${plugin}: ` : ''}`;
    if (plugin === 'log') return write(`${tag}${msg}\n`);
    const kv = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
    write(`${tag}${msg}${kv.length > 0 ? ` ${kv.join(' ')}` : ''}\n`);
  };
}

/** The pod's own addresses: POD_IPS/POD_IP (downward API) when set, else every non-loopback interface address. */
export function podIPs(env: NodeJS.ProcessEnv = process.env, interfaces = networkInterfaces()): string[] {
  const fromEnv = (env.POD_IPS ?? env.POD_IP ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (fromEnv.length > 0) return fromEnv;
  const out: string[] = [];
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) {
      if (!a.internal && !a.address.toLowerCase().startsWith('fe80:')) out.push(a.address);
    }
  }
  return out;
}

export interface RunCoreDnsOptions {
  /** Tests: where the service-account files are (default /var/run/secrets/kubernetes.io/serviceaccount). */
  serviceAccountDir?: string;
}

export async function runCoreDns(args: string[], o: RunCoreDnsOptions = {}): Promise<void> {
  const log = coreDnsLogger((line) => process.stdout.write(line));
  let flags: CoreDnsFlags;
  try {
    flags = parseCoreDnsArgs(args);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nUsage of coredns:\n  -conf string\n    \tCorefile to load (default: the ConfigMap "${COREFILE_CONFIGMAP}" of this pod's namespace)\n  -version\n    \tShow version\n`);
    process.exit(2);
  }
  const banner = `${COREDNS_VERSION}\n${process.platform}/${process.arch}, node ${process.version}\n`;
  if (flags.version) {
    process.stdout.write(banner);
    return;
  }
  try {
    const cluster = inClusterConfig({ userAgent: 'coredns-knet', dir: o.serviceAccountDir });
    const client = new KubeClient(cluster.client);
    const corefile: CorefileSourceSpec = flags.conf && existsSync(flags.conf)
      ? { text: readFileSync(flags.conf, 'utf8') }
      : { namespace: cluster.namespace, name: COREFILE_CONFIGMAP };
    if (flags.conf && !('text' in corefile)) {
      log(`${flags.conf} does not exist; reading the Corefile from configmap ${cluster.namespace}/${COREFILE_CONFIGMAP}`, { level: 'info' });
    }
    const dns = await startClusterDns({ client, corefile, localIPs: podIPs(), log });
    process.stdout.write(banner);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      log('SIGTERM: Shutting down servers then terminating', { level: 'info' });
      void dns.close().finally(() => {
        client.close();
        process.exit(0);
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err), { level: 'fatal' });
    process.exit(1);
  }
}
