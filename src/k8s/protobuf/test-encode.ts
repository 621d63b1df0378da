// Test-only: builds Protobuf bodies the way Kubernetes' marshallers lay them out, for the
// cases kubectl's generators never send (metadata in full, pod template parts, errors).

import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { protobufMagic } from './envelope.ts';

/** A field value: a string, a varint (number or bigint, or a boolean), or a nested message. */
export type Value = string | number | bigint | boolean | Uint8Array | Fields;
/** Fields in wire order: [field number, value]; repeat a number for repeated fields. */
export type Fields = [number, Value][];

export function encode(fields: Fields): Uint8Array {
  const w = new BinaryWriter();
  for (const [num, v] of fields) {
    if (typeof v === 'string') w.tag(num, WireType.LengthDelimited).string(v);
    else if (typeof v === 'boolean') w.tag(num, WireType.Varint).bool(v);
    else if (typeof v === 'number' || typeof v === 'bigint') w.tag(num, WireType.Varint).int64(v);
    else if (v instanceof Uint8Array) w.tag(num, WireType.LengthDelimited).bytes(v);
    else w.tag(num, WireType.LengthDelimited).bytes(encode(v));
  }
  return w.finish();
}

/** A map entry as it appears on the wire: a message { 1: key, 2: value }. */
export function entry(key: string, value: Value): Fields {
  return [[1, key], [2, value]];
}

export function envelope(apiVersion: string, kind: string, raw: Fields | Uint8Array, contentEncoding = ''): Uint8Array {
  const rawBytes = raw instanceof Uint8Array ? raw : encode(raw);
  const unknown = encode([[1, [[1, apiVersion], [2, kind]]], [2, rawBytes], [3, contentEncoding], [4, '']]);
  const body = new Uint8Array(protobufMagic.length + unknown.length);
  body.set(protobufMagic);
  body.set(unknown, protobufMagic.length);
  return body;
}
