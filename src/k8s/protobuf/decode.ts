// Wire format -> plain JSON object, driven by a SchemaRegistry.
//
// Kubernetes' gogo-generated marshallers write every non-pointer field, defaults included
// (`clusterIP: ""`, `strategy: {}`), and pointer fields only when set. So a default value
// means "unset" unless the field is a Go pointer (`presence`), where being on the wire is
// what counts: `replicas: 0` stays, `emptyDir: {}` stays. The result therefore looks like
// the JSON kubectl would have sent, minus the empty structs Go's encoding/json cannot omit.

import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { FieldSchema, SchemaRegistry } from './schema.ts';
import { isScalar, isSpecial } from './schema.ts';
import { rfc3339 } from '../../lib/time.ts';

/**
 * A field knet's message table does not describe (a valid body, but decoding it would silently
 * lose data, so the request is refused and the client told to send JSON instead).
 */
export class ProtobufUnknownFieldError extends Error {
  readonly path: string;
  constructor(path: string, typeName: string, num: number) {
    super(`field number ${num} of ${typeName}${path ? ` (at ${path})` : ''} is not one knet decodes from Protobuf`);
    this.name = 'ProtobufUnknownFieldError';
    this.path = path;
  }
}

/** A malformed body; `path` is the JSON path of the field being read. */
export class ProtobufDecodeError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ProtobufDecodeError';
    this.path = path;
  }
}

type JsonObject = Record<string, unknown>;

const wireTypeNames = ['varint', '64-bit', 'length-delimited', 'start-group', 'end-group', '32-bit'];

export function decodeMessage(registry: SchemaRegistry, typeName: string, bytes: Uint8Array, path = ''): JsonObject {
  const out: JsonObject = {};
  decodeInto(registry, typeName, bytes, path, out);
  return out;
}

function decodeInto(registry: SchemaRegistry, typeName: string, bytes: Uint8Array, path: string, out: JsonObject): void {
  const schema = registry.get(typeName);
  if (!schema) throw new Error(`protobuf message ${typeName} has no schema`);
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    const field = schema.get(num);
    if (!field) {
      // An unknown field that carries nothing (kubectl writes empty structs such as a CronJob's
      // `status: {}` explicitly) loses nothing when skipped; anything else would be lost.
      if (wt === WireType.LengthDelimited && r.bytes().length === 0) continue;
      if (wt === WireType.Varint && String(r.uint64()) === '0') continue;
      throw new ProtobufUnknownFieldError(path, typeName, num);
    }
    const at = field.inline ? path : join(path, field.json);
    if (field.inline) {
      expectWire(wt, WireType.LengthDelimited, at, field.type);
      decodeInto(registry, field.type, r.bytes(), path, out);
    } else if (field.map) {
      expectWire(wt, WireType.LengthDelimited, at, 'map entry');
      const [key, value] = decodeMapEntry(registry, field, r.bytes(), at);
      const map = (out[field.json] ??= {}) as JsonObject;
      map[key] = value;
    } else if (field.repeated) {
      const list = (out[field.json] ??= []) as unknown[];
      if (wt === WireType.LengthDelimited && isPackable(field.type)) {
        // Packed encoding: proto2 Kubernetes types do not use it, but a decoder must accept it.
        const packed = new BinaryReader(r.bytes());
        while (packed.pos < packed.len) list.push(readValue(registry, field.type, WireType.Varint, packed, at));
      } else {
        list.push(readValue(registry, field.type, wt, r, at));
      }
    } else {
      const value = readValue(registry, field.type, wt, r, at);
      // A later occurrence wins, so a default after a value unsets it again.
      if (value === undefined || (!field.presence && isDefault(value))) delete out[field.json];
      else out[field.json] = value;
    }
  }
}

function readValue(registry: SchemaRegistry, type: string, wt: WireType, r: BinaryReader, path: string): unknown {
  if (isScalar(type)) {
    switch (type) {
      case 'string': expectWire(wt, WireType.LengthDelimited, path, type); return r.string();
      case 'bytes': expectWire(wt, WireType.LengthDelimited, path, type); return Buffer.from(r.bytes()).toString('base64');
      case 'bool': expectWire(wt, WireType.Varint, path, type); return r.bool();
      case 'int32': expectWire(wt, WireType.Varint, path, type); return r.int32();
      case 'int64': expectWire(wt, WireType.Varint, path, type); return Number(r.int64());
    }
  }
  expectWire(wt, WireType.LengthDelimited, path, type);
  const bytes = r.bytes();
  if (isSpecial(type)) {
    switch (type) {
      case 'Time': return decodeTime(bytes, path);
      case 'IntOrString': return decodeIntOrString(bytes, path);
      case 'Quantity': return decodeQuantity(bytes, path);
      case 'FieldsV1': return decodeFieldsV1(bytes, path);
    }
  }
  return decodeMessage(registry, type, bytes, path);
}

/** Map entries are messages { 1: key, 2: value }; either may be missing (= its default). */
function decodeMapEntry(registry: SchemaRegistry, field: FieldSchema, bytes: Uint8Array, path: string): [string, unknown] {
  const r = new BinaryReader(bytes);
  let key = '';
  let value: unknown;
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    if (num === 1) {
      expectWire(wt, WireType.LengthDelimited, path, 'map key');
      key = r.string();
    } else if (num === 2) {
      value = readValue(registry, field.type, wt, r, `${path}[${JSON.stringify(key)}]`);
    } else {
      r.skip(wt, num);
    }
  }
  return [key, value ?? mapValueDefault(field.type)];
}

function mapValueDefault(type: string): unknown {
  switch (type) {
    case 'string': case 'bytes': return '';
    case 'bool': return false;
    case 'int32': case 'int64': return 0;
    case 'Quantity': return '0';
    default: return {};
  }
}

/** metav1.Time { 1: seconds, 2: nanos } marshals as RFC 3339 in UTC, whole seconds; zero is null. */
function decodeTime(bytes: Uint8Array, path: string): string | undefined {
  const r = new BinaryReader(bytes);
  let seconds = 0;
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    if (num === 1) {
      expectWire(wt, WireType.Varint, path, 'Time.seconds');
      seconds = Number(r.int64());
    } else {
      r.skip(wt, num);
    }
  }
  if (seconds === 0) return undefined;
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw new ProtobufDecodeError(path, `time ${seconds}s is out of range`);
  return rfc3339(date);
}

/** intstr.IntOrString { 1: type (0 int, 1 string), 2: intVal, 3: strVal }. */
function decodeIntOrString(bytes: Uint8Array, path: string): number | string {
  const r = new BinaryReader(bytes);
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    if (num === 1) { expectWire(wt, WireType.Varint, path, 'IntOrString.type'); type = Number(r.int64()); }
    else if (num === 2) { expectWire(wt, WireType.Varint, path, 'IntOrString.intVal'); intVal = r.int32(); }
    else if (num === 3) { expectWire(wt, WireType.LengthDelimited, path, 'IntOrString.strVal'); strVal = r.string(); }
    else r.skip(wt, num);
  }
  return type === 1 ? strVal : intVal;
}

/** resource.Quantity { 1: string }; an empty one counts as unset (a map fills in "0"). */
function decodeQuantity(bytes: Uint8Array, path: string): string | undefined {
  const r = new BinaryReader(bytes);
  let text = '';
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    if (num === 1) { expectWire(wt, WireType.LengthDelimited, path, 'Quantity'); text = r.string(); }
    else r.skip(wt, num);
  }
  return text === '' ? undefined : text;
}

/** metav1.FieldsV1 { 1: raw } carries the managed-fields set as JSON text. */
function decodeFieldsV1(bytes: Uint8Array, path: string): unknown {
  const r = new BinaryReader(bytes);
  let raw: Uint8Array | undefined;
  while (r.pos < r.len) {
    const [num, wt] = r.tag();
    if (num === 1) { expectWire(wt, WireType.LengthDelimited, path, 'FieldsV1'); raw = r.bytes(); }
    else r.skip(wt, num);
  }
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new ProtobufDecodeError(path, 'fieldsV1 does not hold JSON');
  }
}

function isPackable(type: string): boolean {
  return type === 'bool' || type === 'int32' || type === 'int64';
}

function isDefault(value: unknown): boolean {
  if (value === '' || value === 0 || value === false) return true;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function expectWire(got: WireType, want: WireType, path: string, what: string): void {
  if (got !== want) {
    throw new ProtobufDecodeError(path, `expected ${wireTypeNames[want]} data for ${what}, found ${wireTypeNames[got] ?? `wire type ${got}`}`);
  }
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
