// pods/{name}/log, exec, attach and portforward: the API server finds the pod's node and the
// node's kubelet API (a unix socket named by the Node annotation knet.dev/kubelet-socket) and
// proxies the request there, as kube-apiserver proxies to the kubelet's port 10250. Logs are
// a plain HTTP stream; exec and port-forward are connection upgrades (WebSocket, or SPDY/3.1
// for older clients) whose bytes are relayed unchanged once the request is checked, so the
// kubelet API speaks the streaming protocols end to end with kubectl.
// Checks and messages follow upstream's pod REST (pkg/registry/core/pod/strategy.go).

import { request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, badRequest } from '../lib/errors.ts';
import type { Registry } from './registry.ts';
import { statusOf, toApiError } from './status.ts';

import { KUBELET_SOCKET_ANNOTATION } from '../k8s/well-known.ts';

/** Pod subresources served by the pod's node. */
export const NODE_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward']);

const LOG_PARAMS = ['follow', 'previous', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'limitBytes'];

interface Target {
  socketPath: string;
  pod: any;
}

/** The pod and its node's kubelet socket, or the error upstream gives. */
async function locate(registry: Registry, ns: string, name: string): Promise<Target> {
  const pod = await registry.get(registry.info('pods'), ns, name);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  let node: any;
  try {
    node = await registry.get(registry.info('nodes'), undefined, nodeName);
  } catch {
    throw badRequest(`node "${nodeName}" of pod ${name} is not registered`);
  }
  const socketPath = node.metadata?.annotations?.[KUBELET_SOCKET_ANNOTATION];
  if (!socketPath) throw badRequest(`node "${nodeName}" does not serve a kubelet API (no ${KUBELET_SOCKET_ANNOTATION} annotation)`);
  return { socketPath, pod };
}

/** The container a request names, or the pod's only container (upstream LogLocation/ExecLocation). */
export function containerFor(pod: any, requested: string | null): string {
  const name = pod.metadata.name;
  const names = (list: any[] | undefined) => (list ?? []).map((c) => c.name);
  if (!requested) {
    const main = names(pod.spec.containers);
    if (main.length === 1) return main[0];
    if (main.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`;
    const init = names(pod.spec.initContainers);
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    throw badRequest(msg);
  }
  const all = [...names(pod.spec.containers), ...names(pod.spec.initContainers), ...names(pod.spec.ephemeralContainers)];
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function kubeletPath(kind: string, pod: any, container: string | undefined, query: URLSearchParams): string {
  const parts = [kind, pod.metadata.namespace, pod.metadata.name, ...(container ? [container] : [])].map(encodeURIComponent);
  const q = query.toString();
  return `/${parts.join('/')}${q ? `?${q}` : ''}`;
}

/**
 * GET pods/{name}/log (plain text, streamed while `follow`); other verbs on the streaming
 * subresources without an upgrade get upstream's 400.
 */
export async function servePodSubresource(registry: Registry, req: IncomingMessage, res: ServerResponse, ns: string, name: string, sub: string, query: URLSearchParams): Promise<void> {
  if (sub !== 'log') throw badRequest('Upgrade request required');
  if (req.method !== 'GET') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const t = await locate(registry, ns, name);
  const container = containerFor(t.pod, query.get('container'));
  const q = new URLSearchParams();
  for (const k of LOG_PARAMS) if (query.has(k)) q.set(k, query.get(k)!);
  const tail = q.get('tailLines');
  if (tail !== null && !/^-?\d+$/.test(tail)) throw badRequest(`tailLines: Invalid value: "${tail}": must be an integer`);
  await new Promise<void>((resolve, reject) => {
    const up = httpRequest({ socketPath: t.socketPath, path: kubeletPath('containerLogs', t.pod, container, q), method: 'GET' }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, { 'Content-Type': ur.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      ur.pipe(res);
      ur.on('end', resolve);
      ur.on('error', resolve);
    });
    up.on('error', (err) => reject(new ApiError('InternalError', `error talking to the kubelet API of node ${t.pod.spec.nodeName}: ${err.message}`)));
    res.on('close', () => up.destroy());
    up.end();
  });
}

/** Answers an upgrade request with an error Status (kubectl prints its message). */
function rejectUpgrade(socket: Duplex, err: unknown): void {
  const e = toApiError(err);
  const body = JSON.stringify(statusOf(e));
  socket.end(`HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * An HTTP upgrade to the API server: pods/{name}/exec or /portforward are checked, then the
 * raw connection is joined to the node's kubelet API with the request replayed there.
 */
export async function proxyUpgrade(registry: Registry, req: IncomingMessage, socket: Duplex, head: Buffer, authenticated: boolean): Promise<void> {
  socket.on('error', () => {});
  try {
    if (!authenticated) throw new ApiError('Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', 'https://localhost');
    const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/);
    if (!m) throw new ApiError('NotFound', 'the server could not find the requested resource');
    const [ns, name, sub] = [decodeURIComponent(m[1]), decodeURIComponent(m[2]), m[3]];
    const t = await locate(registry, ns, name);
    if (sub === 'attach') throw badRequest('attach is not supported by knet: its containers have no attachable console; use kubectl exec or kubectl logs -f');
    let path: string;
    if (sub === 'exec') {
      const container = containerFor(t.pod, url.searchParams.get('container'));
      const q = new URLSearchParams(url.searchParams);
      q.delete('container');
      path = kubeletPath('exec', t.pod, container, q);
    } else {
      path = kubeletPath('portForward', t.pod, undefined, url.searchParams);
    }
    await relay(t.socketPath, path, req, socket, head);
  } catch (err) {
    rejectUpgrade(socket, err);
  }
}

function relay(socketPath: string, path: string, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const up = connect(socketPath);
    up.once('error', (err) => reject(new ApiError('InternalError', `error talking to the node's kubelet API: ${err.message}`)));
    up.once('connect', () => {
      up.removeAllListeners('error');
      up.on('error', () => socket.destroy());
      const lines = [`${req.method} ${path} HTTP/1.1`, 'Host: kubelet'];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const k = req.rawHeaders[i];
        if (/^(host|authorization)$/i.test(k)) continue; // the kubelet API has its own trust (root-only socket)
        lines.push(`${k}: ${req.rawHeaders[i + 1]}`);
      }
      up.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
      socket.on('close', () => up.destroy());
      up.on('close', () => socket.destroy());
      resolve();
    });
  });
}
