// The envelope of every `application/vnd.kubernetes.protobuf` body: the 4-byte magic
// "k8s\0", then a runtime.Unknown { 1: TypeMeta, 2: raw, 3: contentEncoding, 4: contentType }
// whose runtime.TypeMeta is { 1: apiVersion, 2: kind } (k8s.io/apimachinery pkg/runtime).

import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

export const protobufMagic: Uint8Array = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  /** The encoded object itself, without TypeMeta. */
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

export function hasProtobufMagic(body: Uint8Array): boolean {
  return body.length >= protobufMagic.length && protobufMagic.every((b, i) => body[i] === b);
}

/**
 * Throws EnvelopeError; its `gvk` names the kind when TypeMeta (which kubectl writes first)
 * was read before the body broke off, so the error can say what was being sent.
 */
export function readEnvelope(body: Uint8Array): ProtobufEnvelope {
  if (!hasProtobufMagic(body)) {
    throw new EnvelopeError('', 'the body does not start with the Kubernetes Protobuf magic "k8s\\x00"');
  }
  const env: ProtobufEnvelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '', contentType: '' };
  try {
    readUnknown(body.subarray(protobufMagic.length), env);
  } catch (err) {
    const gvk = env.apiVersion && env.kind ? `${env.apiVersion}/${env.kind}` : '';
    throw new EnvelopeError(gvk, err instanceof Error ? err.message : String(err), { cause: err });
  }
  return env;
}

export class EnvelopeError extends Error {
  readonly gvk: string;
  constructor(gvk: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvelopeError';
    this.gvk = gvk;
  }
}

function readUnknown(bytes: Uint8Array, env: ProtobufEnvelope): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    if (num >= 1 && num <= 4 && wt !== WireType.LengthDelimited) {
      throw new Error(`envelope field ${num} has the wrong wire type`);
    }
    switch (num) {
      case 1: readTypeMeta(r.bytes(), env); break;
      case 2: env.raw = r.bytes(); break;
      case 3: env.contentEncoding = r.string(); break;
      case 4: env.contentType = r.string(); break;
      default: r.skip(wt, num);
    }
  }
}

function readTypeMeta(bytes: Uint8Array, env: ProtobufEnvelope): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    if ((num === 1 || num === 2) && wt !== WireType.LengthDelimited) {
      throw new Error(`envelope TypeMeta field ${num} has the wrong wire type`);
    }
    if (num === 1) env.apiVersion = r.string();
    else if (num === 2) env.kind = r.string();
    else r.skip(wt, num);
  }
}
