// Google's hello-app (gcr.io/google-samples/hello-app): every path answers a greeting with
// the version and hostname; the port comes from $PORT (8080). Like the Go original it has no
// TERM handler, so SIGTERM ends it by the signal (the kubelet reports exit code 143).
import http from 'node:http';
import os from 'node:os';
import { goLog } from '../go-compat.ts';
import { listenAll } from '../listen.ts';

export async function runHelloApp(): Promise<void> {
  const port = process.env.PORT || '8080';
  // knet sets this from the image tag (hello-app:2.0 answers "Version: 2.0.0").
  const version = process.env.KNET_HELLO_APP_VERSION || '1.0.0';
  const server = http.createServer((req, res) => {
    goLog(`Serving request: ${new URL(req.url ?? '/', 'http://x').pathname}`);
    const body = `Hello, world!\nVersion: ${version}\nHostname: ${os.hostname()}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  goLog(`Server listening on port ${port}`);
  await listenAll(server, Number(port)).catch((err: Error) => {
    goLog(`listen tcp :${port}: bind: ${err.message}`);
    process.exit(1);
  });
}
