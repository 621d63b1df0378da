// A growable output buffer with the name compression table of RFC 1035 §4.1.4, and marks
// to roll back a record that turns out not to fit (truncation drops whole records).

import { DnsEncodeError } from './errors.ts';
import { labelToBytes, MAX_LABEL_OCTETS, MAX_NAME_OCTETS, splitLabels } from './names.ts';

/** Pointers carry 14 bits of offset, so only names starting below this can be targets. */
const MAX_POINTER_TARGET = 0x3fff;

export interface WriterMark {
  offset: number;
  compressionEntries: number;
}

export class ByteWriter {
  buf = new Uint8Array(512);
  offset = 0;
  // Keyed by the suffix's text as written: case is kept, so an answer that echoes the
  // question's spelling points at it, and one spelled otherwise keeps its own case.
  private readonly compression = new Map<string, number>();
  private readonly added: string[] = [];

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.offset));
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.offset++] = v & 0xff;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf[this.offset++] = (v >>> 8) & 0xff;
    this.buf[this.offset++] = v & 0xff;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf[this.offset++] = (v >>> 24) & 0xff;
    this.buf[this.offset++] = (v >>> 16) & 0xff;
    this.buf[this.offset++] = (v >>> 8) & 0xff;
    this.buf[this.offset++] = v & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }

  setU16(at: number, v: number): void {
    this.buf[at] = (v >>> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }

  /**
   * Writes a name; with `compress`, ends it with a pointer to an earlier copy of its
   * longest known suffix. Every name written becomes a pointer target, even one written
   * uncompressed (an SRV target, RFC 2782), since pointing at it is always valid.
   */
  name(name: string, compress: boolean): void {
    if (this.plainName(name, compress)) return;
    const labels = splitLabels(name);
    let octets = 1;
    for (let i = 0; i < labels.length; i++) {
      const key = i === 0 ? labels.join('.') : labels.slice(i).join('.');
      const known = compress ? this.compression.get(key) : undefined;
      if (known !== undefined) {
        this.u16(0xc000 | known);
        return;
      }
      if (this.offset <= MAX_POINTER_TARGET && !this.compression.has(key)) {
        this.compression.set(key, this.offset);
        this.added.push(key);
      }
      const bytes = labelToBytes(labels[i]);
      if (bytes.length > MAX_LABEL_OCTETS) throw new DnsEncodeError(`label longer than 63 octets in "${name}"`);
      octets += bytes.length + 1;
      if (octets > MAX_NAME_OCTETS) throw new DnsEncodeError(`name longer than 255 octets: "${name}"`);
      this.u8(bytes.length);
      this.bytes(bytes);
    }
    this.u8(0);
  }

  /**
   * The same for the common name: ASCII, no escapes, no empty label. Suffix keys are
   * substrings of the name and label bytes are its char codes, so no label array or joined
   * string is built (name writing is the encoder's hot spot). False: not such a name.
   */
  private plainName(name: string, compress: boolean): boolean {
    let end = name.length;
    if (end > 0 && name.charCodeAt(end - 1) === 46) end--;
    if (end === 0) {
      if (name.length > 0) return false; // "." alone: leave it to the general path
      this.u8(0);
      return true;
    }
    if (end + 2 > MAX_NAME_OCTETS) return false; // the general path says why
    let prev = -1;
    for (let i = 0; i < end; i++) {
      const c = name.charCodeAt(i);
      if (c === 92 || c > 127) return false;
      if (c === 46) {
        if (i - prev - 1 === 0 || i - prev - 1 > MAX_LABEL_OCTETS) return false;
        prev = i;
      }
    }
    if (end - prev - 1 === 0 || end - prev - 1 > MAX_LABEL_OCTETS) return false;
    let start = 0;
    while (start < end) {
      const key = start === 0 && end === name.length ? name : name.substring(start, end);
      const known = compress ? this.compression.get(key) : undefined;
      if (known !== undefined) {
        this.u16(0xc000 | known);
        return true;
      }
      if (this.offset <= MAX_POINTER_TARGET && !this.compression.has(key)) {
        this.compression.set(key, this.offset);
        this.added.push(key);
      }
      let dot = name.indexOf('.', start);
      if (dot < 0 || dot > end) dot = end;
      const len = dot - start;
      this.ensure(len + 1);
      this.buf[this.offset++] = len;
      for (let i = start; i < dot; i++) this.buf[this.offset++] = name.charCodeAt(i);
      start = dot + 1;
    }
    this.u8(0);
    return true;
  }

  mark(): WriterMark {
    return { offset: this.offset, compressionEntries: this.added.length };
  }

  rollback(m: WriterMark): void {
    this.offset = m.offset;
    while (this.added.length > m.compressionEntries) this.compression.delete(this.added.pop() as string);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
}
