// The HTTP side of the DNS server: `health` (/health), `ready` (/ready) and `prometheus`
// (/metrics), each on its own listener as in CoreDNS. Responses follow CoreDNS: 200 "OK";
// /ready answers 503 with the comma-separated, sorted names of the plugins not ready yet,
// or "Shutting down" once lameduck began.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from '../plugins/index.ts';

export interface HttpEndpoint {
  readonly host: string;
  /** The port asked for (0: ephemeral). */
  readonly requestedPort: number;
  /** The port bound. */
  readonly port: number;
  close(): Promise<void>;
}

export type HttpRoute = (res: http.ServerResponse) => void;

export function listenHttp(host: string, port: number, path: string, route: HttpRoute): Promise<HttpEndpoint> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    route(res);
  });
  // Probes open a connection per check; do not let idle ones pile up.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve({
        host,
        requestedPort: port,
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

export function healthRoute(): HttpRoute {
  return (res) => res.writeHead(200, TEXT).end('OK');
}

/** `notReady()` returns the names of plugins not ready, or null when shutting down. */
export function readyRoute(notReady: () => string[] | null): HttpRoute {
  return (res) => {
    const names = notReady();
    if (names === null) res.writeHead(503, TEXT).end('Shutting down');
    else if (names.length > 0) res.writeHead(503, TEXT).end([...names].sort().join(','));
    else res.writeHead(200, TEXT).end('OK');
  };
}

export function metricsRoute(registry: MetricsRegistry): HttpRoute {
  return (res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(registry.render());
}
