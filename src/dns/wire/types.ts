// The DNS message model every part of src/dns shares (RFC 1035 §4.1, RFC 6891 for OPT).
// Names are absolute, written without the trailing dot, in the case they arrived in
// ("" is the root). Comparisons between names are case-insensitive (RFC 4343); the
// helpers in names.ts do them.

/** Resource record types knet builds or forwards (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 6891). */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  AXFR: 252,
  IXFR: 251,
  ANY: 255,
} as const;

export const RRClass = { IN: 1, CH: 3, ANY: 255 } as const;

/** Response codes (RFC 1035 §4.1.1, RFC 6895). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  /** Needs EDNS: the upper 8 bits travel in the OPT record (RFC 6891 §6.1.3, §9). */
  BADVERS: 16,
} as const;

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

export interface Question {
  name: string;
  type: number;
  class: number;
}

/** Record data, by type. Types knet does not interpret keep their raw bytes. */
export type RData =
  | { type: 1; address: string } // A, dotted quad
  | { type: 28; address: string } // AAAA, any textual IPv6 form
  | { type: 5 | 2 | 12; target: string } // CNAME, NS, PTR
  | { type: 33; priority: number; weight: number; port: number; target: string } // SRV
  | { type: 16; texts: string[] } // TXT, each at most 255 bytes
  | {
      type: 6;
      mname: string;
      rname: string;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    } // SOA
  | { type: 15; preference: number; exchange: string } // MX
  | { type: number; raw: Uint8Array }; // anything else, kept opaque

export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: RData;
}

/** EDNS(0) as carried by the OPT pseudo-record (RFC 6891 §6.1). */
export interface Edns {
  udpPayloadSize: number;
  extendedRcode: number; // upper 8 bits of the 12-bit rcode
  version: number;
  dnssecOk: boolean;
  options: { code: number; data: Uint8Array }[];
}

/** The header's id and flags (RFC 1035 §4.1.1, RFC 4035 for AD and CD). */
export interface DnsHeaderFlags {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number; // lower 4 bits; with EDNS the full rcode is (edns.extendedRcode << 4) | rcode
}

export interface DnsMessage extends DnsHeaderFlags {
  questions: Question[];
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[]; // without the OPT record, which lives in `edns`
  edns?: Edns;
}
