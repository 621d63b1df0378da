// A query message as a stub resolver sends it: one question, RD set, nothing else.

import { Opcode, RRClass, type DnsMessage } from './types.ts';

/** A query for `name`/`type` (class IN); `over` replaces any field (id, flags, edns...). */
export function newQuery(name: string, type: number, over: Partial<DnsMessage> = {}): DnsMessage {
  return {
    id: 0, qr: false, opcode: Opcode.QUERY, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0,
    questions: [{ name, type, class: RRClass.IN }], answers: [], authority: [], additional: [],
    ...over,
  };
}
