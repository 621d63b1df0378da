// Reading a possibly compressed name off the wire (RFC 1035 §4.1.4). A pointer must point
// strictly before the run of labels it ends, so every jump goes to a lower offset: loops
// and forward references are impossible by construction. Pointers to pointers are legal
// but add no octets, so the 255-octet limit alone would let one name hop thousands of
// times; the hop count is capped as miekg/dns does.

import { DnsFormatError } from './errors.ts';
import { bytesToLabel, MAX_NAME_OCTETS } from './names.ts';

/**
 * miekg/dns's maxCompressionPointers, (255 + 1) / 2 - 2: a valid name has at most that many
 * labels, hence pointers, not counting the root.
 */
export const MAX_POINTER_HOPS = (MAX_NAME_OCTETS + 1) / 2 - 2;

export interface ReadName {
  name: string;
  /** Offset just after the name as it sits at the read position (after the first pointer, if any). */
  next: number;
}

/** `limit` bounds the uncompressed part at the read position (the end of the RDATA or the message). */
export function readName(buf: Uint8Array, start: number, limit: number): ReadName {
  let at = start;
  let runStart = start;
  let end = Math.min(limit, buf.length);
  let next = -1;
  let octets = 1;
  let hops = 0;
  let name = '';
  for (;;) {
    if (at >= end) throw new DnsFormatError('truncated', `name at offset ${start} runs past the end`);
    const len = buf[at];
    if (len === 0) {
      if (next < 0) next = at + 1;
      return { name, next };
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (at + 1 >= end) throw new DnsFormatError('truncated', `pointer at offset ${at} runs past the end`);
      const target = ((len & 0x3f) << 8) | buf[at + 1];
      if (target >= runStart) {
        throw new DnsFormatError('bad-pointer', `compression pointer at offset ${at} to ${target} does not point backwards`);
      }
      if (++hops > MAX_POINTER_HOPS) {
        throw new DnsFormatError('bad-pointer', `name at offset ${start} follows too many compression pointers (over ${MAX_POINTER_HOPS})`);
      }
      if (next < 0) next = at + 2;
      at = runStart = target;
      end = buf.length;
      continue;
    }
    if (kind !== 0) throw new DnsFormatError('bad-label', `label type 0x${kind.toString(16)} at offset ${at} is not supported`);
    if (at + 1 + len > end) throw new DnsFormatError('truncated', `label at offset ${at} runs past the end`);
    octets += len + 1;
    if (octets > MAX_NAME_OCTETS) throw new DnsFormatError('name-too-long', `name at offset ${start} exceeds 255 octets`);
    const label = bytesToLabel(buf.subarray(at + 1, at + 1 + len));
    name = name === '' ? label : `${name}.${label}`;
    at += 1 + len;
  }
}
