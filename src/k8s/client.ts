// A narrow Kubernetes API client for knet's components: JSON over HTTPS with a bearer token,
// the verbs controllers use (get, list, create, update, patch, delete, watch), and API errors
// turned back into ApiError with the server's Status reason, so a controller can tell
// NotFound, Conflict and Gone apart. It speaks only the public REST API, so a component built
// on it runs unchanged against any API server.
//
// Why not @kubernetes/client-node: its generated client pulls a large dependency tree and its
// informer cannot relist on 410 without dropping handlers; knet needs eight verbs and a watch.

import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../lib/errors.ts';
import type { StatusReason } from '../lib/errors.ts';
import { groupVersion, RESOURCES, resourceKey } from './resources.ts';
import type { ResourceInfo } from './resources.ts';

export interface ClientConfig {
  /** https://host:port */
  server: string;
  token: string;
  caCert: string;
  /** Sent as User-Agent and as the default fieldManager. */
  userAgent?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface ObjectList {
  metadata: { resourceVersion: string; continue?: string };
  items: any[];
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

export interface WatchHandle {
  stop(): void;
  /** Settles when the stream ends: undefined on a clean end or stop(), the error otherwise. */
  done: Promise<Error | undefined>;
}

/** The ResourceInfo of a served resource by its resourceKey: `pods`, `deployments.apps`. */
export function resource(key: string): ResourceInfo {
  const r = RESOURCES.find((x) => resourceKey(x) === key);
  if (!r) throw new Error(`unknown resource ${key}`);
  return r;
}

export class KubeClient {
  readonly config: ClientConfig;
  private agent: Agent;
  /** Watches hold a connection each for minutes: they get their own, so writes never queue behind them. */
  private watchAgent: Agent;

  constructor(config: ClientConfig) {
    this.config = config;
    this.agent = new Agent({ ca: config.caCert, keepAlive: true, maxSockets: 16 });
    this.watchAgent = new Agent({ ca: config.caCert, keepAlive: false });
  }

  path(r: ResourceInfo, ns: string | undefined, name?: string, sub?: string): string {
    let p = r.group ? `/apis/${groupVersion(r)}` : `/api/${r.version}`;
    if (r.namespaced && ns) p += `/namespaces/${encodeURIComponent(ns)}`;
    p += `/${r.resource}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  get(r: ResourceInfo, ns: string | undefined, name: string): Promise<any> {
    return this.send('GET', this.path(r, ns, name));
  }

  list(r: ResourceInfo, ns: string | undefined, opts: ListOptions = {}): Promise<ObjectList> {
    return this.send('GET', this.path(r, ns) + query(opts));
  }

  create(r: ResourceInfo, ns: string | undefined, obj: any, opts: WriteOptions = {}): Promise<any> {
    return this.send('POST', this.path(r, ns, opts.subresource ? obj.metadata?.name : undefined, opts.subresource) + this.writeQuery(opts), obj);
  }

  update(r: ResourceInfo, ns: string | undefined, obj: any, opts: WriteOptions = {}): Promise<any> {
    return this.send('PUT', this.path(r, ns, obj.metadata.name, opts.subresource) + this.writeQuery(opts), obj);
  }

  patch(r: ResourceInfo, ns: string | undefined, name: string, type: PatchType, body: unknown, opts: WriteOptions & { force?: boolean } = {}): Promise<any> {
    const q = this.writeQuery(opts) + (opts.force ? '&force=true' : '');
    return this.send('PATCH', this.path(r, ns, name, opts.subresource) + q, body, PATCH_CONTENT_TYPE[type]);
  }

  delete(r: ResourceInfo, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<any> {
    const body: any = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.dryRun) body.dryRun = ['All'];
    return this.send('DELETE', this.path(r, ns, name), body);
  }

  /**
   * Streams watch events to `onEvent` in order. The caller restarts from the last
   * resourceVersion it saw when `done` settles; an ERROR event with code 410 means relist.
   */
  watch(r: ResourceInfo, ns: string | undefined, opts: ListOptions & { resourceVersion: string; timeoutSeconds?: number }, onEvent: (e: WatchEvent) => void): WatchHandle {
    const q = query({ ...opts }) + '&watch=true&allowWatchBookmarks=true' + (opts.timeoutSeconds ? `&timeoutSeconds=${opts.timeoutSeconds}` : '');
    let req: ReturnType<typeof httpsRequest> | undefined;
    let stopped = false;
    const done = new Promise<Error | undefined>((resolve) => {
      req = this.rawRequest('GET', this.path(r, ns) + q, undefined, undefined, this.watchAgent, (res) => {
        if (res.statusCode !== 200) {
          readBody(res).then((text) => resolve(toApiError(res.statusCode ?? 0, text)), resolve);
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (!line.trim()) continue;
            try {
              onEvent(JSON.parse(line));
            } catch (err) {
              req?.destroy(err as Error);
              return;
            }
          }
        });
        res.on('end', () => resolve(undefined));
        res.on('error', (err) => resolve(stopped ? undefined : err));
        res.on('close', () => resolve(undefined));
      });
      req.on('error', (err) => resolve(stopped ? undefined : err));
      req.end();
    });
    return {
      stop() {
        stopped = true;
        req?.destroy();
      },
      done,
    };
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  private writeQuery(opts: WriteOptions): string {
    const fm = opts.fieldManager ?? this.config.userAgent;
    let q = fm ? `?fieldManager=${encodeURIComponent(fm)}` : '?';
    if (opts.dryRun) q += '&dryRun=All';
    return q;
  }

  private send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
    return new Promise((resolve, reject) => {
      const req = this.rawRequest(method, path, body === undefined ? undefined : JSON.stringify(body), contentType, this.agent, (res) => {
        readBody(res).then((text) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve(text ? JSON.parse(text) : undefined);
            } catch (err) {
              reject(new Error(`${method} ${path}: the server answered with invalid JSON`, { cause: err }));
            }
          } else reject(toApiError(status, text));
        }, reject);
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  private rawRequest(method: string, path: string, body: string | undefined, contentType: string | undefined, agent: Agent, onResponse: (res: IncomingMessage) => void) {
    const url = new URL(path, this.config.server);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.token}`,
      accept: 'application/json',
      'user-agent': this.config.userAgent ?? 'knet',
    };
    if (body !== undefined) {
      headers['content-type'] = contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return httpsRequest({ method, host: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent, timeout: method === 'GET' && path.includes('watch=true') ? undefined : 60_000 }, onResponse);
  }
}

function query(opts: ListOptions): string {
  const p = new URLSearchParams();
  if (opts.labelSelector) p.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) p.set('fieldSelector', opts.fieldSelector);
  if (opts.limit) p.set('limit', String(opts.limit));
  if (opts.continue) p.set('continue', opts.continue);
  if (opts.resourceVersion) p.set('resourceVersion', opts.resourceVersion);
  const s = p.toString();
  return s ? `?${s}` : '?';
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** Rebuilds an ApiError from a Status body (or from the HTTP code when there is none). */
export function toApiError(code: number, text: string): ApiError {
  let st: any;
  try {
    st = JSON.parse(text);
  } catch {
    st = undefined;
  }
  const known = typeof st?.reason === 'string' && new ApiError(st.reason, '').code !== undefined;
  const reason: StatusReason = known ? st.reason : reasonForCode(code);
  return new ApiError(reason, st?.message ?? (text || `HTTP ${code}`), st?.details);
}

/** Whether a watch ERROR event or an error means the watched revision is gone (relist). */
export function isGone(err: unknown): boolean {
  return err instanceof ApiError && (err.reason === 'Gone' || err.reason === 'Expired' || err.code === 410);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'NotFound';
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'Conflict';
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'AlreadyExists';
}

function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 503: return 'ServiceUnavailable';
    default: return 'InternalError';
  }
}
