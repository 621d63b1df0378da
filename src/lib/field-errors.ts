// Field errors as k8s.io/apimachinery/pkg/util/validation/field reports them. The type names
// are the `Status.details.causes[].reason` values; the message shapes follow `Error.ErrorBody`
// so kubectl prints what users of kube-apiserver are used to reading, e.g.
//   spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive

export type FieldErrorType =
  | 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate'
  | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** JSON path as upstream writes it: `spec.ports[0].port`, `metadata.labels`. */
  field: string;
  /** The offending value (omitted for Required/Forbidden where upstream omits it). */
  value?: unknown;
  /** Human detail: `must be between 1 and 65535, inclusive`. */
  detail?: string;
  /** For NotSupported: the allowed values. */
  supported?: string[];
  /** For TooLong / TooMany: the limit. */
  max?: number;
}

/** Go's `%#v`-like rendering used by field.Error for values. */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]${v.length && typeof v[0] === 'string' ? 'string' : 'interface {}'}{${v.map(renderValue).join(', ')}}`;
  return JSON.stringify(v);
}

/** The body of a field error; with `withField` it is prefixed by `<field>: `. */
export function formatFieldError(e: FieldError, withField = true): string {
  let body: string;
  switch (e.type) {
    case 'FieldValueRequired':
      body = 'Required value' + (e.detail ? `: ${e.detail}` : '');
      break;
    case 'FieldValueForbidden':
      body = 'Forbidden' + (e.detail ? `: ${e.detail}` : '');
      break;
    case 'FieldValueNotSupported':
      body = `Unsupported value: ${renderValue(e.value)}` +
        (e.supported?.length ? `: supported values: ${e.supported.map((s) => JSON.stringify(s)).join(', ')}` : '');
      break;
    case 'FieldValueDuplicate':
      body = `Duplicate value: ${renderValue(e.value)}` + (e.detail ? `: ${e.detail}` : '');
      break;
    case 'FieldValueTooLong':
      body = `Too long: may not be more than ${e.max} bytes` + (e.detail ? `: ${e.detail}` : '');
      break;
    case 'FieldValueTooMany':
      body = `Too many: ${renderValue(e.value)}: must have at most ${e.max} items`;
      break;
    case 'InternalError':
      body = `Internal error: ${e.detail ?? ''}`;
      break;
    default:
      body = `Invalid value: ${renderValue(e.value)}` + (e.detail ? `: ${e.detail}` : '');
  }
  return withField ? `${e.field}: ${body}` : body;
}

// Constructors, so validators read like upstream's field.Invalid(path, value, detail).
export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, value, supported });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const forbiddenField = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const tooLong = (field: string, value: unknown, max: number): FieldError => ({ type: 'FieldValueTooLong', field, value, max });
