// RDATA by type (RFC 1035 §3.3-3.4, RFC 3596, RFC 2782). Types knet does not interpret
// stay raw bytes; the RFC 1035 types whose names may be compressed are stored
// decompressed, since a pointer means nothing outside the message it came in (RFC 3597 §4).

import { ByteWriter } from './byte-writer.ts';
import { DnsEncodeError, DnsFormatError } from './errors.ts';
import { bytesToIPv4, bytesToIPv6, ipv4ToBytes, ipv6ToBytes } from './ip-bytes.ts';
import { readName } from './read-name.ts';
import type { RData } from './types.ts';
import { RRType } from './types.ts';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

/** RFC 1035 types with one or two compressible names and nothing else: MD, MF, MB, MG, MR, MINFO. */
const LEGACY_NAME_TYPES: Record<number, number> = { 3: 1, 4: 1, 7: 1, 8: 1, 9: 1, 14: 2 };

function badRdata(type: number, why: string): DnsFormatError {
  return new DnsFormatError('bad-rdata', `type ${type} rdata: ${why}`);
}

function u16(buf: Uint8Array, at: number): number {
  return (buf[at] << 8) | buf[at + 1];
}

function u32(buf: Uint8Array, at: number): number {
  return ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
}

/** Decodes buf[start, end) as the RDATA of `type`; names may point anywhere earlier in buf. */
export function decodeRData(type: number, buf: Uint8Array, start: number, end: number): RData {
  const len = end - start;
  const nameAt = (at: number, what: string) => {
    const r = readName(buf, at, end);
    if (r.next > end) throw badRdata(type, `${what} overruns the record`);
    return r;
  };
  const exactly = (at: number) => {
    if (at !== end) throw badRdata(type, `${end - at} stray bytes after the data`);
  };
  switch (type) {
    case RRType.A:
      if (len !== 4) throw badRdata(type, `length ${len}, want 4`);
      return { type: 1, address: bytesToIPv4(buf.subarray(start, end)) };
    case RRType.AAAA:
      if (len !== 16) throw badRdata(type, `length ${len}, want 16`);
      return { type: 28, address: bytesToIPv6(buf.subarray(start, end)) };
    case RRType.CNAME:
    case RRType.NS:
    case RRType.PTR: {
      const t = nameAt(start, 'name');
      exactly(t.next);
      return { type: type as 5 | 2 | 12, target: t.name };
    }
    case RRType.MX: {
      if (len < 3) throw badRdata(type, 'too short');
      const t = nameAt(start + 2, 'exchange');
      exactly(t.next);
      return { type: 15, preference: u16(buf, start), exchange: t.name };
    }
    case RRType.SRV: {
      if (len < 7) throw badRdata(type, 'too short');
      const t = nameAt(start + 6, 'target');
      exactly(t.next);
      return { type: 33, priority: u16(buf, start), weight: u16(buf, start + 2), port: u16(buf, start + 4), target: t.name };
    }
    case RRType.SOA: {
      const m = nameAt(start, 'mname');
      const r = nameAt(m.next, 'rname');
      if (r.next + 20 !== end) throw badRdata(type, 'wrong length after the names');
      const at = r.next;
      return {
        type: 6,
        mname: m.name,
        rname: r.name,
        serial: u32(buf, at),
        refresh: u32(buf, at + 4),
        retry: u32(buf, at + 8),
        expire: u32(buf, at + 12),
        minimum: u32(buf, at + 16),
      };
    }
    case RRType.TXT: {
      const texts: string[] = [];
      let at = start;
      let lossless = true;
      while (at < end) {
        const n = buf[at];
        if (at + 1 + n > end) throw badRdata(type, 'character-string overruns the record');
        try {
          texts.push(utf8Strict.decode(buf.subarray(at + 1, at + 1 + n)));
        } catch {
          lossless = false; // not UTF-8: keep the octets as they are
        }
        at += 1 + n;
      }
      return lossless ? { type: 16, texts } : { type, raw: buf.slice(start, end) };
    }
  }
  const names = LEGACY_NAME_TYPES[type];
  if (names) {
    const w = new ByteWriter();
    let at = start;
    for (let i = 0; i < names; i++) {
      const r = nameAt(at, 'name');
      w.name(r.name, false);
      at = r.next;
    }
    exactly(at);
    return { type, raw: w.result() };
  }
  return { type, raw: buf.slice(start, end) };
}

/** Writes the RDATA (without its length) for a record of type `rrType`. */
export function encodeRData(w: ByteWriter, rrType: number, data: RData): void {
  if ('raw' in data) {
    w.bytes(data.raw);
    return;
  }
  if (data.type !== rrType) throw new DnsEncodeError(`record of type ${rrType} carries data of type ${data.type}`);
  switch (data.type) {
    case 1: {
      const b = ipv4ToBytes(data.address);
      if (!b) throw new DnsEncodeError(`A record address "${data.address}" is not IPv4`);
      w.bytes(b);
      return;
    }
    case 28: {
      const b = ipv6ToBytes(data.address);
      if (!b) throw new DnsEncodeError(`AAAA record address "${data.address}" is not IPv6`);
      w.bytes(b);
      return;
    }
    case 5:
    case 2:
    case 12:
      w.name(data.target, true);
      return;
    case 15:
      w.u16(data.preference);
      w.name(data.exchange, true);
      return;
    case 33:
      w.u16(data.priority);
      w.u16(data.weight);
      w.u16(data.port);
      w.name(data.target, false); // RFC 2782: the target is never compressed
      return;
    case 6:
      w.name(data.mname, true);
      w.name(data.rname, true);
      w.u32(data.serial);
      w.u32(data.refresh);
      w.u32(data.retry);
      w.u32(data.expire);
      w.u32(data.minimum);
      return;
    case 16:
      for (const t of data.texts) {
        const b = utf8.encode(t);
        if (b.length > 255) throw new DnsEncodeError(`TXT string of ${b.length} octets exceeds 255`);
        w.u8(b.length);
        w.bytes(b);
      }
      return;
  }
}
