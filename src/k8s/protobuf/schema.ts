// knet's own description of the Kubernetes Protobuf messages it decodes. Field numbers are
// part of the Kubernetes API (k8s.io/api/<group>/<version>/generated.proto and
// k8s.io/apimachinery); names are the JSON names from the Go types, which is what the
// decoded object must carry.
//
// A message is written as `{ <field number>: '<spec>' }`, where a spec reads
//   'name'                 a string field
//   'name:int32'           a scalar: string | bool | int32 | int64 | bytes
//   'name:Message'         a nested message (capitalised = a message name)
//   'name[]:T'             repeated
//   'name{}:T'             map<string, T>
//   'name?:T'              a Go pointer: present on the wire means set, so zero values and
//                          empty messages are kept (`replicas: 0`, `emptyDir: {}`)
//   '...:Message'          an embedded Go struct (`json:",inline"`): its fields join the parent
// Unknown field numbers are skipped, as every Protobuf decoder does.

export type ScalarType = 'string' | 'bool' | 'int32' | 'int64' | 'bytes';

/**
 * Messages the decoder renders as JSON scalars rather than objects, the way their Go types
 * marshal: metav1.Time -> RFC 3339, intstr.IntOrString -> number or string,
 * resource.Quantity -> string, metav1.FieldsV1 -> the JSON object it carries.
 */
export type SpecialType = 'Time' | 'IntOrString' | 'Quantity' | 'FieldsV1';

export interface FieldSchema {
  readonly json: string;
  /** A ScalarType, a SpecialType or a message name from the registry. */
  readonly type: string;
  readonly repeated: boolean;
  readonly map: boolean;
  readonly presence: boolean;
  readonly inline: boolean;
}

export type MessageSchema = ReadonlyMap<number, FieldSchema>;

const scalarTypes: ReadonlySet<string> = new Set(['string', 'bool', 'int32', 'int64', 'bytes']);
const specialTypes: ReadonlySet<string> = new Set(['Time', 'IntOrString', 'Quantity', 'FieldsV1']);

export function isScalar(type: string): type is ScalarType {
  return scalarTypes.has(type);
}

export function isSpecial(type: string): type is SpecialType {
  return specialTypes.has(type);
}

const specPattern = /^(\.\.\.|[A-Za-z][A-Za-z0-9]*)(\[\]|\{\})?(\?)?(?::([A-Za-z][A-Za-z0-9]*))?$/;

export function parseFieldSpec(spec: string): FieldSchema {
  const m = specPattern.exec(spec);
  if (!m) throw new Error(`bad protobuf field spec ${JSON.stringify(spec)}`);
  const [, name, shape, optional, type = 'string'] = m;
  const inline = name === '...';
  if (inline && (shape || optional || isScalar(type) || isSpecial(type))) {
    throw new Error(`bad protobuf field spec ${JSON.stringify(spec)}: only a plain message can be inlined`);
  }
  return {
    json: inline ? '' : name,
    type,
    repeated: shape === '[]',
    map: shape === '{}',
    presence: optional === '?',
    inline,
  };
}

/** Message name -> field number -> field; built once from the per-group tables. */
export class SchemaRegistry {
  readonly #messages = new Map<string, MessageSchema>();

  add(tables: Record<string, Record<number, string>>): this {
    for (const [name, fields] of Object.entries(tables)) {
      if (this.#messages.has(name)) throw new Error(`protobuf message ${name} defined twice`);
      const parsed = new Map<number, FieldSchema>();
      for (const [num, spec] of Object.entries(fields)) parsed.set(Number(num), parseFieldSpec(spec));
      this.#messages.set(name, parsed);
    }
    return this;
  }

  get(name: string): MessageSchema | undefined {
    return this.#messages.get(name);
  }

  /** Every message type a field names must exist; called by tests so a typo cannot ship. */
  unresolved(): string[] {
    const missing: string[] = [];
    for (const [name, fields] of this.#messages) {
      for (const [num, f] of fields) {
        if (!isScalar(f.type) && !isSpecial(f.type) && !this.#messages.has(f.type)) missing.push(`${name}.${num} -> ${f.type}`);
      }
    }
    return missing;
  }
}
