// Decoding of Kubernetes Protobuf request bodies (`application/vnd.kubernetes.protobuf`):
// since 1.32, kubectl's typed clients send them for `kubectl create <generator>`,
// `create token` and `auth can-i`, with no fallback to JSON. knet decodes them into the same
// plain objects a JSON body gives, so the rest of the API server sees one shape.

import { ApiError } from '../../lib/errors.ts';
import { decodeMessage, ProtobufDecodeError, ProtobufUnknownFieldError } from './decode.ts';
import { EnvelopeError, readEnvelope } from './envelope.ts';
import { messageForKind, registry } from './kinds.ts';

export { PROTOBUF_KINDS } from './kinds.ts';
export { hasProtobufMagic } from './envelope.ts';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/**
 * Decode a Protobuf body into the object as JSON, with apiVersion and kind from the
 * envelope. Default values of non-pointer fields are left out (as `omitempty` would), Go
 * pointers keep what was sent (`replicas: 0`); Time becomes RFC 3339, IntOrString a number
 * or string, Quantity its string, bytes base64. Throws ApiError UnsupportedMediaType for a
 * kind knet has no schema for, BadRequest for a malformed body.
 */
export function decodeProtobufObject(body: Uint8Array): any {
  let envelope;
  try {
    envelope = readEnvelope(body);
  } catch (err) {
    const what = err instanceof EnvelopeError && err.gvk ? `the Protobuf body of ${err.gvk}` : 'the Protobuf request body';
    throw new ApiError('BadRequest', `${what} is malformed: ${reason(err)}`, undefined, { cause: err });
  }
  const { apiVersion, kind } = envelope;
  if (!apiVersion || !kind) {
    throw new ApiError('BadRequest', 'the Protobuf request body is malformed: its envelope carries no apiVersion and kind');
  }
  const gvk = `${apiVersion}/${kind}`;
  if (envelope.contentEncoding !== '') {
    throw new ApiError('UnsupportedMediaType', `the Protobuf body of ${gvk} uses content encoding "${envelope.contentEncoding}", which knet does not support`);
  }
  const message = messageForKind(apiVersion, kind);
  if (!message) {
    throw new ApiError('UnsupportedMediaType',
      `knet cannot decode ${gvk} from ${PROTOBUF_MEDIA_TYPE}; send it as application/json (with kubectl: create it from a file with -f)`,
      { kind, group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '' });
  }
  try {
    return { apiVersion, kind, ...decodeMessage(registry, message, envelope.raw) };
  } catch (err) {
    if (err instanceof ProtobufUnknownFieldError) {
      throw new ApiError('UnsupportedMediaType', `knet cannot decode ${gvk} from ${PROTOBUF_MEDIA_TYPE}: ${err.message}; send it as application/json instead`, { kind }, { cause: err });
    }
    throw new ApiError('BadRequest', `the Protobuf body of ${gvk} is malformed: ${reason(err)}`, { kind }, { cause: err });
  }
}

function reason(err: unknown): string {
  if (err instanceof ProtobufDecodeError) return err.message;
  // BinaryReader reports truncation as "premature EOF" and bad tags as "invalid wire type".
  if (err instanceof Error) return err.message === 'premature EOF' ? 'it ends early (truncated)' : err.message;
  return String(err);
}
