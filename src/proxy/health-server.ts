// The health check server of one node (kube-proxy's healthcheck server for Services with
// externalTrafficPolicy Local): on each such Service's healthCheckNodePort it answers 200 when
// this node has a ready endpoint of the Service and 503 when it has none, so an external
// load balancer sends traffic only to nodes that can serve it without another hop.
//
// Run as a program inside the node's network namespace (the agent process cannot enter it),
// it reads the whole desired state as JSON lines on stdin and opens and closes its listeners
// to match: {"services":[{"port":31234,"namespace":"default","name":"web","localEndpoints":1}]}

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createInterface } from 'node:readline';

export interface HealthService {
  port: number;
  namespace: string;
  name: string;
  localEndpoints: number;
}

/** The answer kube-proxy gives, as status code and JSON body. */
export function healthAnswer(s: HealthService): { code: number; body: string } {
  return {
    code: s.localEndpoints > 0 ? 200 : 503,
    body: JSON.stringify({ service: { namespace: s.namespace, name: s.name }, localEndpoints: s.localEndpoints, serviceProxyHealthy: true }, null, 2),
  };
}

if (import.meta.main) {
  const servers = new Map<number, { server: Server; svc: HealthService }>();
  const apply = (want: HealthService[]) => {
    const byPort = new Map(want.map((s) => [s.port, s]));
    for (const [port, s] of servers) {
      if (!byPort.has(port)) {
        s.server.close();
        servers.delete(port);
      }
    }
    for (const [port, svc] of byPort) {
      const cur = servers.get(port);
      if (cur) {
        cur.svc = svc;
        continue;
      }
      const entry = { svc, server: createServer((_req, res) => {
        const a = healthAnswer(entry.svc);
        res.writeHead(a.code, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'X-Load-Balancing-Endpoint-Weight': String(entry.svc.localEndpoints) });
        res.end(a.body);
      }) };
      entry.server.on('error', (err) => process.stderr.write(`health check port ${port}: ${err.message}\n`));
      entry.server.listen(port, '0.0.0.0');
      servers.set(port, entry);
    }
  };
  createInterface({ input: process.stdin }).on('line', (line) => {
    try {
      apply(JSON.parse(line).services ?? []);
    } catch { /* a malformed line changes nothing */ }
  });
  process.stdin.on('end', () => process.exit(0));
}
