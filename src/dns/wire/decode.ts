// Wire -> DnsMessage (RFC 1035 §4.1, RFC 6891 §6). Any input either decodes or throws
// DnsFormatError; the error carries the header and first question when they were read.

import type { DnsHeader } from './errors.ts';
import { DnsFormatError } from './errors.ts';
import { decodeRData } from './rdata.ts';
import { readName } from './read-name.ts';
import type { DnsMessage, Edns, Question, ResourceRecord } from './types.ts';
import { RRType } from './types.ts';

const HEADER_OCTETS = 12;

function u16(buf: Uint8Array, at: number): number {
  return (buf[at] << 8) | buf[at + 1];
}

export function decodeHeader(buf: Uint8Array): DnsHeader | undefined {
  if (buf.length < HEADER_OCTETS) return undefined;
  const f1 = buf[2];
  const f2 = buf[3];
  return {
    id: u16(buf, 0),
    qr: (f1 & 0x80) !== 0,
    opcode: (f1 >> 3) & 0x0f,
    aa: (f1 & 0x04) !== 0,
    tc: (f1 & 0x02) !== 0,
    rd: (f1 & 0x01) !== 0,
    ra: (f2 & 0x80) !== 0,
    ad: (f2 & 0x20) !== 0,
    cd: (f2 & 0x10) !== 0,
    rcode: f2 & 0x0f,
    qdcount: u16(buf, 4),
    ancount: u16(buf, 6),
    nscount: u16(buf, 8),
    arcount: u16(buf, 10),
  };
}

type Section = 'answer' | 'authority' | 'additional';

export function decodeMessage(buf: Uint8Array): DnsMessage {
  const header = decodeHeader(buf);
  if (!header) {
    throw new DnsFormatError('short-header', `message of ${buf.length} octets is shorter than the 12-octet header`, {
      id: buf.length >= 2 ? u16(buf, 0) : undefined,
    });
  }
  let question: Question | undefined;
  try {
    let at = HEADER_OCTETS;
    const questions: Question[] = [];
    for (let i = 0; i < header.qdcount; i++) {
      const n = readName(buf, at, buf.length);
      at = n.next;
      if (at + 4 > buf.length) throw new DnsFormatError('truncated', `question ${i + 1} ends early`);
      questions.push({ name: n.name, type: u16(buf, at), class: u16(buf, at + 2) });
      question ??= questions[0];
      at += 4;
    }
    const sections: Record<Section, ResourceRecord[]> = { answer: [], authority: [], additional: [] };
    const counts: [Section, number][] = [
      ['answer', header.ancount],
      ['authority', header.nscount],
      ['additional', header.arcount],
    ];
    let edns: Edns | undefined;
    for (const [section, count] of counts) {
      for (let i = 0; i < count; i++) {
        const n = readName(buf, at, buf.length);
        at = n.next;
        if (at + 10 > buf.length) throw new DnsFormatError('truncated', `${section} record ${i + 1} ends early`);
        const type = u16(buf, at);
        const klass = u16(buf, at + 2);
        const ttl = ((buf[at + 4] << 24) | (buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7]) >>> 0;
        const rdlength = u16(buf, at + 8);
        const start = at + 10;
        const end = start + rdlength;
        if (end > buf.length) throw new DnsFormatError('truncated', `${section} record ${i + 1} data runs past the end`);
        at = end;
        if (type === RRType.OPT) {
          // RFC 6891 §6.1.1: one OPT at most, in the additional section, owned by the root.
          if (section !== 'additional') throw new DnsFormatError('bad-opt', `OPT record in the ${section} section`);
          if (edns) throw new DnsFormatError('bad-opt', 'more than one OPT record');
          if (n.name !== '') throw new DnsFormatError('bad-opt', 'OPT record not owned by the root');
          edns = decodeOpt(buf, start, end, klass, ttl);
          continue;
        }
        sections[section].push({ name: n.name, type, class: klass, ttl, data: decodeRData(type, buf, start, end) });
      }
    }
    // Octets after the last record are ignored, as most servers (miekg/dns) do.
    const msg: DnsMessage = {
      id: header.id,
      qr: header.qr,
      opcode: header.opcode,
      aa: header.aa,
      tc: header.tc,
      rd: header.rd,
      ra: header.ra,
      ad: header.ad,
      cd: header.cd,
      rcode: header.rcode,
      questions,
      answers: sections.answer,
      authority: sections.authority,
      additional: sections.additional,
    };
    if (edns) msg.edns = edns;
    return msg;
  } catch (err) {
    if (err instanceof DnsFormatError) throw new DnsFormatError(err.reason, err.message, { header, question });
    throw err;
  }
}

function decodeOpt(buf: Uint8Array, start: number, end: number, klass: number, ttl: number): Edns {
  const options: Edns['options'] = [];
  let at = start;
  while (at < end) {
    if (at + 4 > end) throw new DnsFormatError('bad-opt', 'OPT option header runs past the record');
    const code = u16(buf, at);
    const len = u16(buf, at + 2);
    if (at + 4 + len > end) throw new DnsFormatError('bad-opt', `OPT option ${code} runs past the record`);
    options.push({ code, data: buf.slice(at + 4, at + 4 + len) });
    at += 4 + len;
  }
  return {
    udpPayloadSize: klass,
    extendedRcode: ttl >>> 24,
    version: (ttl >>> 16) & 0xff,
    dnssecOk: (ttl & 0x8000) !== 0,
    options,
  };
}
