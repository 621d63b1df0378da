// The prober's worker, run inside a node's network namespace (the agent cannot enter
// namespaces itself): reads probe requests as JSON lines on stdin and answers each on stdout,
// so httpGet and tcpSocket probes leave from the node as the kubelet's do.
//   request:  {"id":1,"kind":"http","host":"10.244.1.2","port":8080,"path":"/healthz","scheme":"HTTP","headers":[...],"timeoutMs":1000}
//   answer:   {"id":1,"ok":false,"message":"HTTP probe failed with statuscode: 500"}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

interface ProbeRequest {
  id: number;
  kind: 'http' | 'tcp';
  host: string;
  port: number;
  path?: string;
  scheme?: string;
  headers?: { name: string; value: string }[];
  timeoutMs: number;
}

function answer(id: number, ok: boolean, message = ''): void {
  process.stdout.write(JSON.stringify({ id, ok, message }) + '\n');
}

function probeHttp(r: ProbeRequest): void {
  const https = (r.scheme ?? 'HTTP').toUpperCase() === 'HTTPS';
  const url = `${https ? 'https' : 'http'}://${r.host}:${r.port}${r.path ?? '/'}`;
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.33', Accept: '*/*' };
  for (const h of r.headers ?? []) headers[h.name] = h.value;
  let done = false;
  const finish = (ok: boolean, msg: string) => {
    if (!done) {
      done = true;
      answer(r.id, ok, msg);
    }
  };
  const req = (https ? httpsRequest : httpRequest)(url, { headers, timeout: r.timeoutMs, rejectUnauthorized: false }, (res) => {
    res.resume();
    const code = res.statusCode ?? 0;
    // As the kubelet: 200-399 succeed; redirects are not followed off-host.
    if (code >= 200 && code < 400) finish(true, '');
    else finish(false, `HTTP probe failed with statuscode: ${code}`);
  });
  req.on('timeout', () => {
    req.destroy();
    finish(false, `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
  });
  req.on('error', (err: NodeJS.ErrnoException) => finish(false, `Get "${url}": dial tcp ${r.host}:${r.port}: connect: ${describe(err)}`));
  req.end();
}

function probeTcp(r: ProbeRequest): void {
  const s = connect({ host: r.host, port: r.port });
  const t = setTimeout(() => {
    s.destroy();
    answer(r.id, false, `dial tcp ${r.host}:${r.port}: i/o timeout`);
  }, r.timeoutMs);
  s.once('connect', () => {
    clearTimeout(t);
    s.destroy();
    answer(r.id, true);
  });
  s.once('error', (err: NodeJS.ErrnoException) => {
    clearTimeout(t);
    answer(r.id, false, `dial tcp ${r.host}:${r.port}: connect: ${describe(err)}`);
  });
}

function describe(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'EHOSTUNREACH': return 'no route to host';
    case 'ENETUNREACH': return 'network is unreachable';
    case 'ETIMEDOUT': return 'i/o timeout';
    default: return err.message;
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let r: ProbeRequest;
  try {
    r = JSON.parse(line);
  } catch {
    return;
  }
  if (r.kind === 'http') probeHttp(r);
  else probeTcp(r);
});
process.stdin.on('end', () => process.exit(0));
