// DnsMessage -> wire, with name compression (RFC 1035 §4.1.4) and truncation to a size
// budget. Truncation follows miekg/dns Msg.Truncate, which CoreDNS uses: records are
// taken in order (answer, authority, additional) while they fit, so the additional
// section loses records first; the first record that does not fit ends the message and
// TC is set whenever any record was left out. The OPT record is always kept (its size is
// reserved up front), and budgets under 512 count as 512 (RFC 6891 §6.2.5).

import { ByteWriter } from './byte-writer.ts';
import { DnsEncodeError } from './errors.ts';
import { encodeRData } from './rdata.ts';
import type { DnsMessage, Edns, ResourceRecord } from './types.ts';
import { RRType } from './types.ts';

export const MIN_UDP_SIZE = 512;
export const MAX_MESSAGE_SIZE = 65535;

export interface EncodeOptions {
  /** Octets the message may take; records that do not fit are dropped and TC set. Default 65535. */
  maxSize?: number;
}

function optOctets(edns: Edns): number {
  let n = 11; // root name, type, class, ttl, rdlength
  for (const o of edns.options) n += 4 + o.data.length;
  return n;
}

function writeRecord(w: ByteWriter, rr: ResourceRecord): void {
  w.name(rr.name, true);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl >>> 0);
  const lengthAt = w.offset;
  w.u16(0);
  encodeRData(w, rr.type, rr.data);
  const len = w.offset - lengthAt - 2;
  if (len > 0xffff) throw new DnsEncodeError(`record data of ${len} octets for "${rr.name}" exceeds 65535`);
  w.setU16(lengthAt, len);
}

export function encodeMessage(msg: DnsMessage, opts: EncodeOptions = {}): Uint8Array {
  const maxSize = Math.min(MAX_MESSAGE_SIZE, Math.max(MIN_UDP_SIZE, opts.maxSize ?? MAX_MESSAGE_SIZE));
  let rcode = msg.rcode;
  let extendedRcode = msg.edns?.extendedRcode ?? 0;
  if (rcode > 0x0f) {
    // A 12-bit rcode (BADVERS...) given whole: split it between header and OPT.
    if (!msg.edns) throw new DnsEncodeError(`rcode ${rcode} needs an OPT record`);
    extendedRcode = rcode >>> 4;
    rcode &= 0x0f;
  }
  const w = new ByteWriter();
  w.offset = 12;
  for (const q of msg.questions) {
    w.name(q.name, true);
    w.u16(q.type);
    w.u16(q.class);
  }
  const budget = maxSize - (msg.edns ? optOctets(msg.edns) : 0);
  const sections = [msg.answers, msg.authority, msg.additional];
  const written = [0, 0, 0];
  let truncated = false;
  for (let s = 0; s < sections.length && !truncated; s++) {
    for (const rr of sections[s]) {
      if (rr.type === RRType.OPT) throw new DnsEncodeError('OPT goes in DnsMessage.edns, not in a section');
      const mark = w.mark();
      writeRecord(w, rr);
      if (w.offset > budget) {
        w.rollback(mark);
        truncated = true;
        break;
      }
      written[s]++;
    }
  }
  if (msg.edns) {
    const e = msg.edns;
    w.u8(0);
    w.u16(RRType.OPT);
    w.u16(e.udpPayloadSize);
    w.u8(extendedRcode);
    w.u8(e.version);
    w.u16(e.dnssecOk ? 0x8000 : 0);
    w.u16(optOctets(e) - 11);
    for (const o of e.options) {
      w.u16(o.code);
      w.u16(o.data.length);
      w.bytes(o.data);
    }
  }
  const b = w.buf;
  w.setU16(0, msg.id);
  b[2] =
    (msg.qr ? 0x80 : 0) |
    ((msg.opcode & 0x0f) << 3) |
    (msg.aa ? 0x04 : 0) |
    (msg.tc || truncated ? 0x02 : 0) |
    (msg.rd ? 0x01 : 0);
  b[3] = (msg.ra ? 0x80 : 0) | (msg.ad ? 0x20 : 0) | (msg.cd ? 0x10 : 0) | (rcode & 0x0f);
  const counts = [msg.questions.length, written[0], written[1], written[2] + (msg.edns ? 1 : 0)];
  counts.forEach((c, i) => {
    if (c > 0xffff) throw new DnsEncodeError(`section with ${c} entries exceeds 65535`);
    w.setU16(4 + i * 2, c);
  });
  return w.result();
}

/** The whole 12-bit rcode: header bits plus the OPT record's upper bits (RFC 6891 §6.1.3). */
export function fullRcode(msg: DnsMessage): number {
  return ((msg.edns?.extendedRcode ?? 0) << 4) | (msg.rcode & 0x0f);
}
