// LoadBalancer addresses in the fabric and on the host (the "cloud load balancer" half of
// knet's LoadBalancer support; the controllers assign the addresses):
//   - the fabric routes each ingress IP to a node (a /32 route in the fabric namespace, tagged
//     with knet's route protocol): a node with a ready endpoint when the Service's
//     externalTrafficPolicy is Local, else the first Ready node; each node's proxy does the rest;
//   - each TCP and UDP port of each ingress address is published on the host at
//     127.0.0.1:<port> (the Service port when free, else the next free one), through a dialer
//     in the fabric namespace (UDP: one flow per client address, closed after a minute of
//     silence, as a conntrack entry would be); the addresses are recorded in the Service
//     annotation `knet.dev/published` (`udp:` in front for UDP ports).
// The host's network is not changed: the listeners are this process's loopback sockets.

import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { isConflict, isNotFound, resource } from '../k8s/client.ts';
import type { KubeClient } from '../k8s/client.ts';
import { Informer, objectKey } from '../k8s/informer.ts';
import type { HostOps, NetnsDialer } from '../host/index.ts';
import { readFrames, splice, writeFrame } from '../host/index.ts';
import type { Logger } from '../lib/log.ts';
import { fabricNetns } from './names.ts';

export const PUBLISHED_ANNOTATION = 'knet.dev/published';
const LB_ROUTE_PROTO = 76;

interface Listener {
  close(): void;
  protocol: 'TCP' | 'UDP';
  hostPort: number;
  target: { ip: string; port: number };
}

/** A UDP flow is dropped after this long without a datagram either way (conntrack's UDP timeout). */
const UDP_FLOW_IDLE_MS = 30_000;
/** Flows per published UDP port; past it the least recently used goes (resolvers use a new port per query). */
const UDP_MAX_FLOWS = 1024;
/** Bytes waiting for the dialer past which datagrams are dropped, as a full socket buffer would. */
const UDP_MAX_QUEUED = 1 << 20;

export interface LoadBalancerPublisher {
  /** host address -> Service and port, for `knet status`. */
  published(): { service: string; host: string; target: string }[];
  stop(): Promise<void>;
}

export function startLoadBalancerPublisher(o: {
  client: KubeClient; host: HostOps; cluster: string; dialer: NetnsDialer; publishHost?: string; log: Logger;
}): LoadBalancerPublisher {
  const abort = new AbortController();
  const services = new Informer(o.client, resource('services'), { log: o.log });
  const slices = new Informer(o.client, resource('endpointslices.discovery.k8s.io'), { log: o.log });
  const nodes = new Informer(o.client, resource('nodes'), { log: o.log });
  /** One listener per Service, ingress address, protocol and port: `${svcKey}|${ip}|${protocol}|${port}`. */
  const listeners = new Map<string, Listener>();
  const bindHost = o.publishHost ?? '127.0.0.1';
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const kick = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(sync).catch((err) => o.log('load balancer publishing failed; will retry', { error: String(err?.message ?? err) }));
    }, 20);
  };
  for (const inf of [services, slices, nodes]) inf.onChange(() => kick());
  const loops = [services, slices, nodes].map((i) => i.run(abort.signal));
  const resync = setInterval(kick, 30_000);
  resync.unref();

  async function sync(): Promise<void> {
    const fabric = fabricNetns(o.cluster);
    const wantRoutes = new Map<string, string>(); // lb ip -> node ip
    const wantListeners = new Map<string, { ip: string; port: number; protocol: 'TCP' | 'UDP'; svc: any }>();
    const readyNodes = nodes.list().filter((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const ipOf = (n: any) => (n.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address as string | undefined;
    for (const svc of services.list()) {
      if (svc.spec?.type !== 'LoadBalancer') continue;
      const ips: string[] = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip).filter(Boolean);
      if (!ips.length) continue;
      let target = readyNodes[0];
      if (svc.spec.externalTrafficPolicy === 'Local') {
        const withEndpoints = new Set(slices.list(svc.metadata.namespace)
          .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
          .flatMap((s) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready !== false).map((e: any) => e.nodeName)));
        target = readyNodes.find((n) => withEndpoints.has(n.metadata.name)) ?? target;
      }
      const via = target && ipOf(target);
      for (const ip of ips) {
        if (via) wantRoutes.set(ip, via);
        for (const p of svc.spec.ports ?? []) {
          const protocol = p.protocol ?? 'TCP';
          if (protocol === 'TCP' || protocol === 'UDP') wantListeners.set(`${objectKey(svc)}|${ip}|${protocol}|${p.port}`, { ip, port: p.port, protocol, svc });
        }
      }
    }
    await syncRoutes(fabric, wantRoutes);
    await syncListeners(wantListeners);
  }

  async function syncRoutes(fabric: string, want: Map<string, string>): Promise<void> {
    const have = await o.host.ipJson<{ dst: string; gateway?: string }>(fabric, ['route', 'show', 'proto', String(LB_ROUTE_PROTO)]).catch(() => []);
    const lines: string[] = [];
    for (const r of have) {
      const ip = r.dst.replace(/\/32$/, '');
      if (want.get(ip) !== r.gateway) lines.push(`route del ${ip}/32 proto ${LB_ROUTE_PROTO}`);
    }
    for (const [ip, via] of want) {
      if (!have.some((r) => r.dst.replace(/\/32$/, '') === ip && r.gateway === via)) lines.push(`route replace ${ip}/32 via ${via} proto ${LB_ROUTE_PROTO}`);
    }
    if (lines.length) await o.host.ipBatch(fabric, lines);
  }

  async function syncListeners(want: Map<string, { ip: string; port: number; protocol: 'TCP' | 'UDP'; svc: any }>): Promise<void> {
    for (const [key, l] of listeners) {
      const w = want.get(key);
      if (!w || w.ip !== l.target.ip) {
        l.close();
        listeners.delete(key);
      }
    }
    const annotations = new Map<string, { svc: any; values: string[] }>();
    for (const [key, w] of want) {
      let l = listeners.get(key);
      if (!l) {
        const made = w.protocol === 'UDP' ? await listenUdp(w.port, w.ip) : await listen(w.port, w.ip);
        if (!made) continue;
        l = made;
        listeners.set(key, l);
      }
      const svcKey = objectKey(w.svc);
      const a = annotations.get(svcKey) ?? { svc: w.svc, values: [] };
      a.values.push(`${l.protocol === 'UDP' ? 'udp:' : ''}${bindHost}:${l.hostPort}`);
      annotations.set(svcKey, a);
    }
    // Record what is published on each Service (and clear it where nothing is).
    for (const svc of services.list()) {
      const value = annotations.get(objectKey(svc))?.values.sort().join(',');
      const current = svc.metadata.annotations?.[PUBLISHED_ANNOTATION];
      if ((value ?? undefined) === current) continue;
      try {
        await o.client.patch(resource('services'), svc.metadata.namespace, svc.metadata.name, 'merge', { metadata: { annotations: { [PUBLISHED_ANNOTATION]: value ?? null } } }, { fieldManager: 'knet-publisher' });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
  }

  /** Listens on the Service port, or the next free one above it (up to 100 tries). */
  async function listen(port: number, ip: string): Promise<Listener | undefined> {
    for (let p = port; p < Math.min(port + 100, 65536); p++) {
      const server = createServer((conn) => splice(conn, o.dialer.dial(ip, port)));
      const ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(p, bindHost, () => resolve(true));
      });
      if (ok) {
        server.on('error', (err) => o.log('published port failed', { port: p, error: err.message }));
        return { close: () => server.close(), protocol: 'TCP', hostPort: p, target: { ip, port } };
      }
    }
    o.log('no free port to publish a LoadBalancer Service on', { ip, port });
    return undefined;
  }

  /**
   * A UDP port relayed to ip:port: each client address gets its own flow through the dialer
   * (so answers go back to the client that asked), closed after UDP_FLOW_IDLE_MS of silence.
   */
  async function listenUdp(port: number, ip: string): Promise<Listener | undefined> {
    for (let p = port; p < Math.min(port + 100, 65536); p++) {
      const sock: UdpSocket = createSocket(bindHost.includes(':') ? 'udp6' : 'udp4');
      const ok = await new Promise<boolean>((resolve) => {
        sock.once('error', () => resolve(false));
        sock.bind(p, bindHost, () => resolve(true));
      });
      if (!ok) {
        sock.close();
        continue;
      }
      const flows = new Map<string, { conn: Socket; timer: NodeJS.Timeout }>();
      const drop = (client: string) => {
        const f = flows.get(client);
        if (!f) return;
        clearTimeout(f.timer);
        f.conn.destroy();
        flows.delete(client);
      };
      const touch = (client: string) => {
        const f = flows.get(client);
        if (!f) return;
        clearTimeout(f.timer);
        f.timer = setTimeout(() => drop(client), UDP_FLOW_IDLE_MS);
        f.timer.unref();
        // Map order is recency order: the first entry is the least recently used.
        flows.delete(client);
        flows.set(client, f);
      };
      sock.on('error', (err) => o.log('published UDP port failed', { port: p, error: err.message }));
      sock.on('message', (msg, rinfo) => {
        const client = `${rinfo.address}|${rinfo.port}`;
        let f = flows.get(client);
        if (!f) {
          if (flows.size >= UDP_MAX_FLOWS) drop(flows.keys().next().value!);
          const conn = o.dialer.dialUdp(ip, port);
          f = { conn, timer: setTimeout(() => {}, 0) };
          flows.set(client, f);
          conn.on('error', () => drop(client));
          conn.on('close', () => drop(client));
          readFrames(conn, (payload) => {
            touch(client);
            sock.send(payload, rinfo.port, rinfo.address);
          });
        }
        touch(client);
        if (f.conn.writableLength < UDP_MAX_QUEUED) writeFrame(f.conn, msg);
      });
      const close = () => {
        for (const client of [...flows.keys()]) drop(client);
        try {
          sock.close();
        } catch { /* closed already */ }
      };
      return { close, protocol: 'UDP', hostPort: p, target: { ip, port } };
    }
    o.log('no free UDP port to publish a LoadBalancer Service on', { ip, port });
    return undefined;
  }

  return {
    published: () => [...listeners].map(([key, l]) => ({
      service: key.slice(0, key.indexOf('|')),
      host: `${l.protocol === 'UDP' ? 'udp:' : ''}${bindHost}:${l.hostPort}`,
      target: `${l.target.ip}:${l.target.port}`,
    })),
    async stop() {
      clearInterval(resync);
      if (timer) clearTimeout(timer);
      abort.abort();
      await Promise.all(loops);
      await running.catch(() => {});
      for (const l of listeners.values()) l.close();
      listeners.clear();
    },
  };
}
