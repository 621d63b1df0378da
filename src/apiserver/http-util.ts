// Small helpers over node:http request/response used by every handler.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../lib/errors.ts';
import { statusOf, toApiError } from './status.ts';

/** Largest request body accepted (kube-apiserver's default is 3 MiB for most requests). */
const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError('RequestEntityTooLarge', `request body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': data.length, 'Cache-Control': 'no-cache, private', ...headers });
  res.end(data);
}

export function sendError(res: ServerResponse, err: unknown): ApiError {
  const e = toApiError(err);
  if (!res.headersSent) sendJson(res, e.code, statusOf(e));
  else res.destroy();
  return e;
}
