// knet's error catalogue. Every error a component returns carries a stable code (the
// Kubernetes `Status.reason` where one fits) and an HTTP status, so that the API server turns
// any of them into a `Status` object in one place (apiserver/status.ts) and the CLI can print
// the message as it is. Messages say what is wrong and, where it helps, what to do.

import type { FieldError } from './field-errors.ts';
import { formatFieldError } from './field-errors.ts';

/** Status.reason values of the Kubernetes API (k8s.io/apimachinery metav1.StatusReason). */
export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Expired' | 'Invalid' | 'MethodNotAllowed' | 'NotAcceptable' | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge' | 'TooManyRequests' | 'InternalError' | 'ServiceUnavailable' | 'Timeout';

const codeOf: Record<StatusReason, number> = {
  BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, AlreadyExists: 409,
  Conflict: 409, Gone: 410, Expired: 410, Invalid: 422, MethodNotAllowed: 405, NotAcceptable: 406,
  UnsupportedMediaType: 415, RequestEntityTooLarge: 413, TooManyRequests: 429, InternalError: 500,
  ServiceUnavailable: 503, Timeout: 504,
};

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason: string; message: string; field?: string }[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly reason: StatusReason;
  readonly code: number;
  readonly details?: StatusDetails;
  constructor(reason: StatusReason, message: string, details?: StatusDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.reason = reason;
    this.code = codeOf[reason];
    this.details = details;
  }
}

/** What a resource is called in messages: `services "web"` (group-qualified outside core). */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(resource: string, group: string, name: string): ApiError {
  return new ApiError('NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, { name, group, kind: resource });
}

export function alreadyExists(resource: string, group: string, name: string): ApiError {
  return new ApiError('AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, { name, group, kind: resource });
}

export function conflict(resource: string, group: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`, { name, group, kind: resource });
}

export function badRequest(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

export function forbidden(message: string, details?: StatusDetails): ApiError {
  return new ApiError('Forbidden', message, details);
}

export function internalError(message: string, cause?: unknown): ApiError {
  return new ApiError('InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: 'UnexpectedServerResponse', message }] }, { cause });
}

/**
 * 422 Invalid, shaped as kube-apiserver's `errors.NewInvalid`: the message lists every field
 * error, and `details.causes` carries one cause per field so kubectl prints them line by line.
 */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): ApiError {
  const bodies = errs.map((e) => formatFieldError(e));
  const list = bodies.length === 1 ? bodies[0] : `[${bodies.join(', ')}]`;
  return new ApiError('Invalid', `${kind} "${name}" is invalid: ${list}`, {
    name, group, kind,
    causes: errs.map((e) => ({ reason: e.type, message: formatFieldError(e, false), field: e.field })),
  });
}

/** Errors knet's own code raises (not API request errors): a stable code and a cause. */
export class KnetError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KnetError';
    this.code = code;
  }
}
