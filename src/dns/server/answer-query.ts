// One query in, one answer out (or silence): everything about a DNS exchange that does not
// depend on the socket. The checks and their order follow miekg/dns's server (which
// CoreDNS runs on), and all but the last are made on the 12-octet header alone, so a
// hostile body costs nothing: responses are ignored, a header that cannot be read gets no
// answer (any reply to such junk would only amplify it), other opcodes get NOTIMP, section
// counts a query cannot need get FORMERR (miekg's DefaultMsgAcceptFunc), and only then is
// the body decoded (an undecodable one gets FORMERR). An unknown EDNS version gets BADVERS
// (RFC 6891 §6.1.3). Then the handler decides, and the answer is sized for the transport:
// 512 octets on UDP without EDNS, min(client's, ours) with it, 65535 on TCP.

import { encodeMessage, MAX_MESSAGE_SIZE, MIN_UDP_SIZE } from '../wire/encode.ts';
import { decodeHeader, decodeMessage } from '../wire/decode.ts';
import type { DnsHeader } from '../wire/errors.ts';
import { DnsFormatError } from '../wire/errors.ts';
import type { DnsMessage, Edns, Question } from '../wire/types.ts';
import { Opcode, Rcode, RRType } from '../wire/types.ts';
import type { DnsHandler, DnsRequest, DnsResponse } from './plugin.ts';

/** RFC 6891 advice and DNS Flag Day 2020: fits unfragmented in any IPv6 path. */
export const DEFAULT_EDNS_UDP_SIZE = 1232;

export type DnsClient = DnsRequest['client'];

export interface DnsErrorContext {
  /** Where it went wrong: the handler threw, the answer would not encode, a socket failed... */
  stage: 'decode' | 'handler' | 'encode' | 'udp' | 'tcp';
  client?: DnsClient;
  question?: Question;
}

export type DnsErrorHook = (err: unknown, ctx: DnsErrorContext) => void;

/**
 * An answer the server wrote itself, never seen by the handler (so by no metrics plugin):
 * `header` (NOTIMP or FORMERR from the header alone), `decode` (FORMERR), `edns` (BADVERS),
 * `transfer` (REFUSED), `encode` (SERVFAIL in place of a handler answer that would not
 * encode; the handler did see that query).
 */
export interface LocalAnswer {
  stage: 'header' | 'decode' | 'edns' | 'transfer' | 'encode';
  rcode: number;
  client: DnsClient;
  question?: Question;
}

export type LocalAnswerHook = (a: LocalAnswer) => void;

/**
 * miekg/dns's DefaultMsgAcceptFunc for a QUERY: one question; at most one answer record
 * (a NOTIFY's SOA, RFC 1996 §3.7), one authority record (an IXFR's SOA, RFC 1995 §3) and
 * two additional ones (OPT and TSIG).
 */
export function acceptableCounts(h: DnsHeader): boolean {
  return h.qdcount === 1 && h.ancount <= 1 && h.nscount <= 1 && h.arcount <= 2;
}

export interface AnswerOptions {
  handler: DnsHandler;
  /** The UDP payload size we advertise and accept at most (RFC 6891 §6.2.5). */
  ednsUdpSize?: number;
  /** Zone transfers are REFUSED unless this says yes; then the handler gets them. */
  allowTransfer?: (req: DnsRequest) => boolean;
  onError?: DnsErrorHook;
  /** Told of every answer written without (or despite) the handler; for metrics. */
  onLocalAnswer?: LocalAnswerHook;
  /** Replays answers marked `memo` for identical queries; see AnswerMemo. */
  memo?: AnswerMemo;
}

/**
 * Encoded answers the handler marked `memo`, replayed for byte-identical queries (after
 * the ID) while the state they came from is unchanged: no decoding, no chain, no encoding.
 * Cluster names are asked again and again by the same resolvers, so this is the common
 * path. The owner bumps `generation()` whenever anything an answer depends on changes (the
 * cluster view, the configuration), and `enabled()` is false where every query must reach
 * the chain (a `log` plugin).
 */
export interface AnswerMemo {
  enabled(): boolean;
  generation(): number;
  /** Entries kept at most; when full, the memo starts over. */
  max: number;
  entries: Map<string, MemoEntry>;
  /** A replayed answer (for metrics: the chain did not see it). */
  hit?(entry: MemoEntry, client: DnsClient): void;
}

export interface MemoEntry {
  generation: number;
  bytes: Uint8Array;
  question: Question;
  rcode: number;
}

/** Queries longer than this are not memoised (real ones are a few dozen bytes). */
const MEMO_MAX_QUERY = 512;

interface QueryHead {
  id: number;
  opcode: number;
  rd: boolean;
  cd: boolean;
}

function reply(q: QueryHead, questions: Question[], rcode: number, edns?: Edns): DnsMessage {
  const msg: DnsMessage = {
    id: q.id,
    qr: true,
    opcode: q.opcode,
    aa: false,
    tc: false,
    rd: q.rd,
    // CoreDNS leaves RA clear on its own answers (dig warns "recursion requested but not available").
    ra: false,
    ad: false,
    cd: q.cd,
    rcode,
    questions,
    answers: [],
    authority: [],
    additional: [],
  };
  if (edns) msg.edns = edns;
  return msg;
}

function ourOpt(ednsUdpSize: number, query: Edns): Edns {
  // DO is echoed (RFC 3225 §3); options such as cookies or NSID are not implemented.
  return { udpPayloadSize: ednsUdpSize, extendedRcode: 0, version: 0, dnssecOk: query.dnssecOk, options: [] };
}

/** Encoded answer to `packet`, or undefined when it must not be answered. Never throws. */
export async function answerQuery(packet: Uint8Array, client: DnsClient, opts: AnswerOptions): Promise<Uint8Array | undefined> {
  const ours = Math.min(MAX_MESSAGE_SIZE, Math.max(MIN_UDP_SIZE, opts.ednsUdpSize ?? DEFAULT_EDNS_UDP_SIZE));
  const report = (err: unknown, stage: DnsErrorContext['stage'], question?: Question) => {
    try {
      opts.onError?.(err, { stage, client, question });
    } catch {
      // a failing error hook must not take the server down
    }
  };
  const local = (stage: LocalAnswer['stage'], rcode: number, question?: Question) => {
    try {
      opts.onLocalAnswer?.({ stage, rcode, client, question });
    } catch (err) {
      report(err, stage === 'encode' ? 'encode' : 'decode', question);
    }
  };
  const head = decodeHeader(packet);
  if (!head || head.qr) return undefined;
  // As miekg/dns: nothing of the body is read (so no question is echoed) for these two.
  if (head.opcode !== Opcode.QUERY) {
    local('header', Rcode.NOTIMP);
    return encodeMessage(reply(head, [], Rcode.NOTIMP));
  }
  if (!acceptableCounts(head)) {
    local('header', Rcode.FORMERR);
    return encodeMessage(reply(head, [], Rcode.FORMERR));
  }
  const memo = opts.memo && packet.length <= MEMO_MAX_QUERY && opts.memo.enabled() ? opts.memo : undefined;
  // The key is everything but the ID: flags, the question as asked (its case too), EDNS.
  const memoKey = memo && `${client.transport}|${Buffer.from(packet.buffer, packet.byteOffset + 2, packet.length - 2).toString('latin1')}`;
  const generation = memo?.generation() ?? 0;
  if (memo && memoKey) {
    const e = memo.entries.get(memoKey);
    if (e && e.generation === generation) {
      const out = new Uint8Array(e.bytes);
      out[0] = head.id >> 8;
      out[1] = head.id & 0xff;
      try {
        memo.hit?.(e, client);
      } catch (err) {
        report(err, 'handler', e.question);
      }
      return out;
    }
    if (e) memo.entries.delete(memoKey);
  }
  let query: DnsMessage;
  try {
    query = decodeMessage(packet);
  } catch (err) {
    if (!(err instanceof DnsFormatError)) {
      report(err, 'decode');
      return undefined;
    }
    local('decode', Rcode.FORMERR, err.question);
    return encodeMessage(reply(head, err.question ? [err.question] : [], Rcode.FORMERR));
  }
  const question = query.questions[0];
  const edns = query.edns;
  const opt = edns && ourOpt(ours, edns);
  if (edns && edns.version !== 0) {
    local('edns', Rcode.BADVERS, question);
    return encodeMessage(reply(query, [question], Rcode.BADVERS, opt));
  }

  let maxSize = MAX_MESSAGE_SIZE;
  if (client.transport === 'udp') maxSize = edns ? Math.max(MIN_UDP_SIZE, Math.min(edns.udpPayloadSize, ours)) : MIN_UDP_SIZE;
  const req: DnsRequest = { message: query, question, client, maxSize };

  if ((question.type === RRType.AXFR || question.type === RRType.IXFR) && !safeAllow(opts, req, report)) {
    local('transfer', Rcode.REFUSED, question);
    return encodeMessage(reply(query, [question], Rcode.REFUSED, opt));
  }

  let res: DnsResponse;
  try {
    res = await opts.handler(req);
  } catch (err) {
    report(err, 'handler', question);
    return encodeMessage(reply(query, [question], Rcode.SERVFAIL, opt));
  }
  try {
    if (res.rcode > 0x0f && !opt) throw new Error(`rcode ${res.rcode} cannot be sent to a client without EDNS`);
    const msg = reply(query, [question], res.rcode, opt);
    msg.aa = res.aa ?? false;
    msg.ra = res.ra ?? false;
    msg.answers = res.answers;
    msg.authority = res.authority;
    msg.additional = res.additional;
    const out = encodeMessage(msg, { maxSize });
    if (memo && memoKey && res.memo === true) {
      if (memo.entries.size >= memo.max) memo.entries.clear();
      memo.entries.set(memoKey, { generation, bytes: out, question, rcode: res.rcode });
    }
    return out;
  } catch (err) {
    report(err, 'encode', question);
    local('encode', Rcode.SERVFAIL, question);
    return encodeMessage(reply(query, [question], Rcode.SERVFAIL, opt));
  }
}

function safeAllow(opts: AnswerOptions, req: DnsRequest, report: (e: unknown, s: 'handler') => void): boolean {
  try {
    return opts.allowTransfer?.(req) ?? false;
  } catch (err) {
    report(err, 'handler');
    return false;
  }
}
