// The Kubernetes-compatible API server: HTTPS with bearer-token authentication, discovery,
// /version, OpenAPI v3, and the resource handlers over the store. It creates the objects every
// cluster has (the four system namespaces and the `kubernetes` Service) and compacts the
// store's history on a timer, as kube-apiserver asks etcd to every five minutes.

import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../lib/errors.ts';
import type { Backend } from '../store/index.ts';
import { findResource } from '../k8s/resources.ts';
import { openapiDocument, openapiRoot } from '../k8s/schema/index.ts';
import { AGGREGATED_V2, AGGREGATED_V2BETA1, aggregatedDiscovery, legacyApiGroup, legacyApiGroupList, legacyApiVersions, legacyResourceList } from './discovery.ts';
import { readBody, sendError, sendJson } from './http-util.ts';
import { Registry } from './registry.ts';
import { ServiceAccountTokens } from './service-account-tokens.ts';
import { ServiceAllocator } from './service-allocator.ts';
import { handleResource } from './resource-handler.ts';
import type { HandlerContext } from './resource-handler.ts';
import { decodeBody, parseNamespaceSubresource, parseResourcePath } from './request.ts';
import { proxyUpgrade } from './node-proxy.ts';
import type { Duplex } from 'node:stream';
import type { ServerPki } from './certs.ts';

/** The Kubernetes release whose API knet serves; the kubectl dispatcher picks its client by the minor. */
export const KUBERNETES_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.0' };

export interface ApiServerConfig {
  backend: Backend;
  pki: ServerPki;
  /** Bearer tokens accepted (the kubeconfig's). */
  tokens: string[];
  host: string;
  port: number;
  serviceCIDR: string;
  nodePortRange: [number, number];
  log?: (msg: string, fields?: object) => void;
}

export interface ApiServer {
  server: Server;
  registry: Registry;
  port: number;
  close(): Promise<void>;
}

const COMPACT_INTERVAL_MS = 5 * 60 * 1000;
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

export async function startApiServer(cfg: ApiServerConfig): Promise<ApiServer> {
  const log = cfg.log ?? (() => {});
  const services = new ServiceAllocator({ serviceCIDR: cfg.serviceCIDR, nodePortRange: cfg.nodePortRange });
  const registry = new Registry(cfg.backend, services);
  const svcInfo = findResource('', 'v1', 'services')!;
  services.load((await cfg.backend.list(registry.key(svcInfo, undefined))).items.map((kv) => JSON.parse(kv.value)));
  await bootstrapObjects(registry);

  const saTokens = new ServiceAccountTokens(cfg.pki.serviceAccountKey);
  const ctx: HandlerContext = { registry, tokens: saTokens, watches: new Set() };
  const tokens = cfg.tokens.map((t) => Buffer.from(t));
  /** The cluster's admin token, or a service-account token whose account still exists. */
  const authenticated = async (req: IncomingMessage): Promise<boolean> => {
    const h = req.headers.authorization ?? '';
    if (!h.startsWith('Bearer ')) return false;
    const raw = h.slice(7).trim();
    const got = Buffer.from(raw);
    if (tokens.some((t) => t.length === got.length && timingSafeEqual(t, got))) return true;
    if (raw.split('.').length !== 3) return false;
    const id = await saTokens.verify(raw);
    if (!id) return false;
    const exists = async (resource: string, ns: string | undefined, name: string, uid: string) => {
      try {
        return (await registry.get(registry.info(resource), ns, name)).metadata.uid === uid;
      } catch {
        return false;
      }
    };
    if (!(await exists('serviceaccounts', id.namespace, id.serviceAccount.name, id.serviceAccount.uid))) return false;
    const boundResource = { Pod: 'pods', Secret: 'secrets', Node: 'nodes' }[id.bound?.kind ?? ''];
    if (id.bound && (!boundResource || !(await exists(boundResource, boundResource === 'nodes' ? undefined : id.namespace, id.bound.name, id.bound.uid)))) return false;
    return true;
  };

  const server = createServer({ cert: cfg.pki.cert, key: cfg.pki.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const allowed = PUBLIC_PATHS.has(url.pathname) ? Promise.resolve(true) : authenticated(req);
    allowed.then((ok) => {
      if (!ok) {
        sendError(res, new ApiError('Unauthorized', 'Unauthorized'));
        return;
      }
      return route(ctx, req, res, url);
    }).catch((err) => {
      const e = sendError(res, err);
      if (e.code >= 500) log('request failed', { method: req.method, path: url.pathname, error: String((err as Error)?.stack ?? err) });
    });
  });
  server.keepAliveTimeout = 65_000;
  // exec, attach and port-forward upgrade the connection (WebSocket or SPDY): node-proxy.ts.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    authenticated(req).catch(() => false).then((ok) => proxyUpgrade(registry, req, socket, head, ok)).catch((err) => {
      log('upgrade failed', { path: req.url, error: String((err as Error)?.stack ?? err) });
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  let lastRevision = await cfg.backend.currentRevision();
  const compactor = setInterval(async () => {
    try {
      await cfg.backend.compact(lastRevision);
      lastRevision = await cfg.backend.currentRevision();
    } catch (err) {
      log('compaction failed', { error: String(err) });
    }
  }, COMPACT_INTERVAL_MS);
  compactor.unref();

  return {
    server, registry, port,
    async close() {
      clearInterval(compactor);
      for (const stop of [...ctx.watches]) stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function route(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const accept = req.headers.accept ?? '';
  if (req.method === 'GET' || req.method === 'HEAD') {
    switch (path) {
      case '/version':
        return sendJson(res, 200, { ...KUBERNETES_VERSION, gitCommit: 'knet', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.24', compiler: 'gc', platform: 'linux/amd64' });
      case '/healthz': case '/livez': case '/readyz':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return void res.end('ok');
      case '/api': case '/apis': {
        const core = path === '/api';
        if (accept.includes('as=APIGroupDiscoveryList') && accept.includes('v=v2;')) return sendJson(res, 200, aggregatedDiscovery(core), AGGREGATED_V2);
        if (accept.includes('as=APIGroupDiscoveryList') && accept.includes('v=v2beta1')) {
          return sendJson(res, 200, aggregatedDiscovery(core, 'apidiscovery.k8s.io/v2beta1'), AGGREGATED_V2BETA1);
        }
        return sendJson(res, 200, core ? legacyApiVersions(`${req.socket.localAddress}:${req.socket.localPort}`) : legacyApiGroupList());
      }
      case '/openapi/v3':
        return sendJson(res, 200, openapiRoot());
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiDocument(path.slice('/openapi/v3/'.length));
      if (!doc) throw new ApiError('NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, doc.document, 'application/json', { 'Cache-Control': 'public, immutable', Etag: `"${doc.hash}"` });
    }
    const m = path.match(/^\/(?:api\/(v1)|apis\/([^/]+)(?:\/([^/]+))?)$/);
    if (m) {
      const doc = m[1] ? legacyResourceList('', 'v1') : m[3] ? legacyResourceList(m[2], m[3]) : legacyApiGroup(m[2]);
      if (!doc) throw new ApiError('NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, doc);
    }
  }
  if (req.method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
    return answerAccessReview(req, res);
  }
  const rr = parseNamespaceSubresource(path) ?? parseResourcePath(path);
  if (!rr || rr === 'unknown-resource') throw new ApiError('NotFound', 'the server could not find the requested resource');
  await handleResource(ctx, req, res, rr, url.searchParams);
}

/** Objects every cluster has: system namespaces and the `kubernetes` Service at the range's first IP. */
async function bootstrapObjects(reg: Registry): Promise<void> {
  const nsInfo = findResource('', 'v1', 'namespaces')!;
  const svcInfo = findResource('', 'v1', 'services')!;
  const opts = { dryRun: false, fieldManager: 'kube-apiserver' };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (!(await reg.backend.get(reg.key(nsInfo, undefined, name)))) {
      await reg.create(nsInfo, undefined, { metadata: { name } }, opts);
    }
  }
  if (!(await reg.backend.get(reg.key(svcInfo, 'default', 'kubernetes')))) {
    await reg.create(svcInfo, 'default', {
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: reg.services.nth(1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
    }, opts);
  }
}

/**
 * `kubectl auth can-i`: knet has one user, the cluster's administrator (the kubeconfig's
 * token), who may do everything, so every review is allowed. RBAC is not modelled.
 */
async function answerAccessReview(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const review = decodeBody(await readBody(req), req.headers['content-type']) as any ?? {};
  sendJson(res, 201, {
    kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: review.spec ?? {},
    status: { allowed: true, reason: 'knet has a single administrator user, allowed to do everything' },
  });
}
