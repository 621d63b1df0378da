// String formats of the Kubernetes API (k8s.io/apimachinery/pkg/util/validation): DNS labels
// and subdomains, qualified names, label values, IANA port names, config keys, IPs and CIDRs.
// The `*Errors` functions return upstream's detail strings (empty = valid) because kubectl
// prints them verbatim; the `is*` functions are the boolean shorthands.

import { isIPv6 } from 'node:net';
import type { FieldError } from '../../lib/field-errors.ts';
import { invalidValue } from '../../lib/field-errors.ts';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const WILDCARD_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`;
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const PERCENT_FMT = '[0-9]+%';

const whole = (fmt: string) => new RegExp(`^${fmt}$`);
const dns1123LabelRe = whole(DNS1123_LABEL_FMT);
const dns1123SubdomainRe = whole(DNS1123_SUBDOMAIN_FMT);
const dns1035LabelRe = whole(DNS1035_LABEL_FMT);
const qnameRe = whole(QNAME_FMT);
const labelValueRe = whole(LABEL_VALUE_FMT);
const wildcardRe = whole(WILDCARD_FMT);
const configKeyRe = whole(CONFIG_KEY_FMT);
const percentRe = whole(PERCENT_FMT);

export const maxLenError = (n: number) => `must be no more than ${n} characters`;
export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;
export const EMPTY_ERROR = 'must be non-empty';

/** The detail upstream's RegexError builds: `msg (e.g. 'a' or 'b', regex used for validation is 'fmt')`. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

export function wildcardDNS1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!wildcardRe.test(value)) {
    errs.push(regexError("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character", WILDCARD_FMT, '*.example.com'));
  }
  return errs;
}

const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** `[prefix/]name`: prefix a DNS subdomain, name ≤63 of `[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]`. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [`a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qnameRe.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** IANA_SVC_NAME (RFC 6335), lower case only as upstream. */
export function portNameErrors(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function portNumErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

function chdirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

export function configMapKeyErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!configKeyRe.test(value)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...chdirPrefixErrors(value));
  return errs;
}

/** RelaxedEnvironmentVariableValidation is on by default in 1.33: any printable ASCII but '='. */
export function envVarNameErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${EMPTY_ERROR}`);
  if (/[^\x20-\x7e]|=/.test(value)) errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  return errs;
}

export function percentErrors(value: string): string[] {
  return percentRe.test(value) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%')];
}

export function httpHeaderNameErrors(value: string): string[] {
  return /^[-A-Za-z0-9]+$/.test(value) ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", '[-A-Za-z0-9]+', 'X-Header-Name')];
}

export const isDNS1123Label = (v: string): boolean => dns1123LabelErrors(v).length === 0;
export const isDNS1123Subdomain = (v: string): boolean => dns1123SubdomainErrors(v).length === 0;
export const isDNS1035Label = (v: string): boolean => dns1035LabelErrors(v).length === 0;
export const isQualifiedName = (v: string): boolean => qualifiedNameErrors(v).length === 0;

/** Name validators by kind take (name, prefix): with prefix (generateName) a trailing '-' is allowed. */
export type NameValidator = (name: string, prefix: boolean) => string[];
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}
export const nameIsDNSSubdomain: NameValidator = (n, p) => dns1123SubdomainErrors(p ? maskTrailingDash(n) : n);
export const nameIsDNSLabel: NameValidator = (n, p) => dns1123LabelErrors(p ? maskTrailingDash(n) : n);
export const nameIsDNS1035Label: NameValidator = (n, p) => dns1035LabelErrors(p ? maskTrailingDash(n) : n);

// ---- field-error shaped helpers -------------------------------------------------------

/** One Invalid error per message, as upstream's `for _, msg := range IsX(v)` loops do. */
export function each(field: string, value: unknown, msgs: string[]): FieldError[] {
  return msgs.map((m) => invalidValue(field, value, m));
}

export function validateLabelName(key: string, field: string): FieldError[] {
  return each(field, key, qualifiedNameErrors(key));
}

/** metav1 validation.ValidateLabels: keys are qualified names, values label values. */
export function validateLabels(labels: Record<string, string> | undefined | null, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, field));
    errs.push(...each(field, v, labelValueErrors(String(v))));
  }
  return errs;
}

// ---- IP addresses ------------------------------------------------------------------------
// 1.33 validates most IP fields with IsValidIPForLegacyField and StrictIPCIDRValidation off:
// Go's ParseIPSloppy, which still accepts IPv4 octets with leading zeros.

function parseIPv4Sloppy(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

export type IPFamily = 'IPv4' | 'IPv6';

/** The family of a valid IP, or undefined when it does not parse. */
export function ipFamilyOf(s: string): IPFamily | undefined {
  if (typeof s !== 'string') return undefined;
  if (parseIPv4Sloppy(s)) return 'IPv4';
  if (!s.includes('%') && isIPv6(s)) return 'IPv6';
  return undefined;
}

export const isValidIP = (s: string): boolean => ipFamilyOf(s) !== undefined;

export function isValidCIDR(s: string): boolean {
  if (typeof s !== 'string') return false;
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const fam = ipFamilyOf(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!fam || !/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= (fam === 'IPv4' ? 32 : 128);
}

export function validateIP(field: string, value: string): FieldError[] {
  return isValidIP(value) ? [] : [invalidValue(field, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function validateCIDR(field: string, value: string): FieldError[] {
  return isValidCIDR(value) ? [] : [invalidValue(field, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** The address as 16 bytes (IPv4 mapped into ::ffff:0:0/96), for range checks. */
export function ipBytes(s: string): Uint8Array | undefined {
  const v4 = parseIPv4Sloppy(s);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!ipFamilyOf(s)) return undefined;
  // Rewrite a trailing dotted quad (::ffff:1.2.3.4) as two hex groups, then expand '::'.
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const embedded = parseIPv4Sloppy(text.slice(lastColon + 1));
  if (embedded) {
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(embedded[0], embedded[1])}:${hex(embedded[2], embedded[3])}`;
  }
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':').map((x) => parseInt(x, 16)));
  let groups: number[];
  if (text.includes('::')) {
    const [head, tail] = text.split('::');
    const h = groupsOf(head);
    const t = groupsOf(tail);
    groups = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  } else {
    groups = groupsOf(text);
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { out[i * 2] = g >> 8; out[i * 2 + 1] = g & 0xff; });
  return out;
}

/** Is `inner` (a CIDR) inside `outer` (a CIDR) — both valid, same family assumed by the caller. */
export function cidrContains(outer: string, inner: string): { contains: boolean; outerBits: number; innerBits: number } {
  const [oip, obits] = outer.split('/');
  const [iip, ibits] = inner.split('/');
  const fam = ipFamilyOf(oip);
  const shift = fam === 'IPv4' ? 96 : 0;
  const ob = Number(obits) + shift;
  const a = ipBytes(oip)!;
  const b = ipBytes(iip)!;
  let contains = ipFamilyOf(iip) === fam;
  for (let bit = 0; contains && bit < ob; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((a[byte] & mask) !== (b[byte] & mask)) contains = false;
  }
  return { contains, outerBits: Number(obits), innerBits: Number(ibits) };
}
