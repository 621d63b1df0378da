// knet's type schema of the API objects it serves, and what the API server derives from it:
// the OpenAPI v3 documents (`kubectl explain`, kubectl's fieldValidation probe) and strict
// decoding (unknown fields). The definitions live in the *-types.ts files, written in the
// small language of dsl.ts.

export { openapiDocument, openapiRoot, gvPath } from './openapi.ts';
export type { UnknownFields } from './strict.ts';
export { decodeErrorMessage, duplicateFieldWarning, findUnknownFields, strictDecodingMessage, unknownFieldWarning } from './strict.ts';
export { findDuplicateFields } from './duplicate-fields.ts';
export type { FieldDef, GroupVersionKind, TypeDef } from './dsl.ts';
export { TYPES, typeOfKind } from './registry.ts';
