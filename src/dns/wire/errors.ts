// Errors of the wire codec. A malformed message throws DnsFormatError carrying as much of
// the header and question as was read, so a server can still answer FORMERR with the
// query's id and opcode (RFC 1035 §4.1.1) — or decide to stay silent when too little
// was readable to answer safely.

import type { DnsHeaderFlags, Question } from './types.ts';

/** The 12-byte header, as far as it could be read (RFC 1035 §4.1.1). */
export interface DnsHeader extends DnsHeaderFlags {
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

/** Stable reasons, for tests and metrics; the message says the details. */
export type DnsFormatReason =
  | 'short-header'
  | 'truncated'
  | 'bad-label'
  | 'bad-pointer'
  | 'name-too-long'
  | 'bad-rdata'
  | 'bad-opt';

export class DnsFormatError extends Error {
  override name = 'DnsFormatError';
  readonly reason: DnsFormatReason;
  /** Present when at least the first two bytes were there. */
  readonly id: number | undefined;
  /** Present when the whole 12-byte header was there. */
  readonly header: DnsHeader | undefined;
  /** The first question, when it decoded before the failure. */
  readonly question: Question | undefined;

  constructor(
    reason: DnsFormatReason,
    message: string,
    found: { id?: number; header?: DnsHeader; question?: Question } = {},
  ) {
    super(message);
    this.reason = reason;
    this.id = found.header?.id ?? found.id;
    this.header = found.header;
    this.question = found.question;
  }
}

/** A name or record that cannot be put on the wire (a caller's mistake, not the peer's). */
export class DnsEncodeError extends Error {
  override name = 'DnsEncodeError';
}
