// Domain names in text form: absolute, without the trailing dot, "" for the root, case as
// received. A label holding a byte that cannot stand for itself is escaped the way
// presentation format does (RFC 1035 §5.1): "\." for a dot inside a label, "\\" for a
// backslash, "\DDD" (decimal) for bytes outside printable ASCII. Comparisons fold ASCII
// case only (RFC 4343 §3).

import { DnsEncodeError } from './errors.ts';
import { bytesToIPv4, bytesToIPv6, ipv4ToBytes, ipv6ToBytes } from './ip-bytes.ts';

/** RFC 1035 §2.3.4: 63 octets a label, 255 octets a name on the wire. */
export const MAX_LABEL_OCTETS = 63;
export const MAX_NAME_OCTETS = 255;

const utf8 = new TextEncoder();

/** Labels of a name in text form (escapes kept). A trailing dot is tolerated; the root has none. */
export function splitLabels(name: string): string[] {
  if (name === '' || name === '.') return [];
  const text = name.endsWith('.') && !endsWithEscapedDot(name) ? name.slice(0, -1) : name;
  let labels: string[];
  if (!text.includes('\\')) {
    labels = text.split('.');
  } else {
    labels = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '.') {
        labels.push(text.slice(start, i));
        start = i + 1;
      }
    }
    labels.push(text.slice(start));
  }
  if (labels.some((l) => l === '')) throw new DnsEncodeError(`empty label in name "${name}"`);
  return labels;
}

function endsWithEscapedDot(name: string): boolean {
  let backslashes = 0;
  for (let i = name.length - 2; i >= 0 && name[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

export function joinLabels(labels: readonly string[]): string {
  return labels.join('.');
}

/** The octets a text label stands for. */
export function labelToBytes(label: string): Uint8Array {
  if (!/[\\\u0080-\uffff]/.test(label)) {
    const out = new Uint8Array(label.length);
    for (let i = 0; i < label.length; i++) out[i] = label.charCodeAt(i);
    return out;
  }
  const out: number[] = [];
  for (let i = 0; i < label.length; i++) {
    let c = label[i];
    if (c === '\\') {
      const digits = label.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(digits)) {
        const v = Number(digits);
        if (v > 255) throw new DnsEncodeError(`escape \\${digits} is not an octet in label "${label}"`);
        out.push(v);
        i += 3;
        continue;
      }
      i++;
      if (i >= label.length) throw new DnsEncodeError(`dangling backslash in label "${label}"`);
      c = label[i];
    }
    const code = c.charCodeAt(0);
    if (code < 0x80) out.push(code);
    else {
      // A whole code point, surrogate pairs included.
      const cp = String.fromCodePoint(label.codePointAt(i) ?? code);
      out.push(...utf8.encode(cp));
      i += cp.length - 1;
    }
  }
  return Uint8Array.from(out);
}

/** Text form of a label's octets, escaping what cannot stand for itself. */
export function bytesToLabel(bytes: Uint8Array): string {
  let plain = true;
  for (const b of bytes) {
    if (b <= 0x20 || b >= 0x7f || b === 0x2e || b === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return String.fromCharCode(...bytes);
  let s = '';
  for (const b of bytes) {
    if (b === 0x2e || b === 0x5c) s += '\\' + String.fromCharCode(b);
    else if (b <= 0x20 || b >= 0x7f) s += '\\' + String(b).padStart(3, '0');
    else s += String.fromCharCode(b);
  }
  return s;
}

/** Wire labels of a text name, validated against the RFC 1035 length limits. */
export function nameToLabelBytes(name: string): Uint8Array[] {
  const labels = splitLabels(name).map(labelToBytes);
  let octets = 1;
  for (const l of labels) {
    if (l.length > MAX_LABEL_OCTETS) throw new DnsEncodeError(`label longer than 63 octets in "${name}"`);
    octets += l.length + 1;
  }
  if (octets > MAX_NAME_OCTETS) throw new DnsEncodeError(`name longer than 255 octets: "${name}"`);
  return labels;
}

/** ASCII-lowercased, escapes in canonical form, no trailing dot: the key for comparisons. */
export function toLowerName(name: string): string {
  if (!name.includes('\\')) {
    const text = name.endsWith('.') ? name.slice(0, -1) : name;
    return asciiLower(text);
  }
  return splitLabels(name)
    .map((l) => asciiLower(bytesToLabel(labelToBytes(l))))
    .join('.');
}

function asciiLower(s: string): string {
  // toLowerCase would also fold non-ASCII letters, which DNS does not (RFC 4343 §3).
  return /[^\x00-\x7f]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}

export function nameEquals(a: string, b: string): boolean {
  return a === b || toLowerName(a) === toLowerName(b);
}

/** True when `name` is `zone` or lies below it, label-aligned ("xexample.com" is not under "example.com"). */
export function isSubdomain(name: string, zone: string): boolean {
  const z = toLowerName(zone);
  if (z === '') return true;
  const n = toLowerName(name);
  if (n === z) return true;
  if (!n.endsWith('.' + z)) return false;
  // "a\.example.com" ends with ".example.com" as text but its last-but-one label is "a.example".
  if (!n.includes('\\')) return true;
  const nl = splitLabels(n);
  const zl = splitLabels(z);
  return nl.length > zl.length && zl.every((l, i) => nl[nl.length - zl.length + i] === l);
}

// ---- reverse names (RFC 1035 §3.5, RFC 3596 §2.5) ----

export function reverseIPv4(ip: string): string {
  const b = ipv4ToBytes(ip);
  if (!b) throw new DnsEncodeError(`not an IPv4 address: "${ip}"`);
  return `${b[3]}.${b[2]}.${b[1]}.${b[0]}.in-addr.arpa`;
}

export function reverseIPv6(ip: string): string {
  const b = ipv6ToBytes(ip);
  if (!b) throw new DnsEncodeError(`not an IPv6 address: "${ip}"`);
  const nibbles: string[] = [];
  for (let i = 15; i >= 0; i--) nibbles.push((b[i] & 0xf).toString(16), (b[i] >> 4).toString(16));
  return `${nibbles.join('.')}.ip6.arpa`;
}

/** Reverse name of either family. */
export function reverseName(ip: string): string {
  return ip.includes(':') ? reverseIPv6(ip) : reverseIPv4(ip);
}

/**
 * The address a complete reverse name stands for (IPv6 in RFC 5952 form), or undefined
 * when the name is not one: partial names such as "10.in-addr.arpa" included.
 */
export function ipFromReverseName(name: string): string | undefined {
  const n = toLowerName(name);
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return undefined;
    const b = ipv4ToBytes(parts.reverse().join('.'));
    return b && bytesToIPv4(b);
  }
  if (n.endsWith('.ip6.arpa')) {
    const parts = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32 || parts.some((p) => !/^[0-9a-f]$/.test(p))) return undefined;
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = parseInt(parts[31 - 2 * i] + parts[30 - 2 * i], 16);
    return bytesToIPv6(b);
  }
  return undefined;
}
