// The one place where errors become Kubernetes `Status` objects (STYLE habit 4). Anything that
// is not an ApiError is an internal error: its message is logged by the caller and answered as
// a 500 without leaking a stack.

import { ApiError } from '../lib/errors.ts';

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: object;
  code: number;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new ApiError('InternalError', `Internal error occurred: ${msg}`, undefined, { cause: err });
}

export function statusOf(err: ApiError): StatusObject {
  const s: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.code };
  if (err.details) s.details = err.details;
  return s;
}

export function successStatus(details?: object): StatusObject {
  const s: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
