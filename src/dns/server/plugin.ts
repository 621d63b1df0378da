// The contract between the DNS server and the plugins of its chain, shaped like CoreDNS's
// plugin.Handler: a plugin answers, or hands the request to the next one and may rewrite
// what comes back. The server owns the wire concerns (header flags, question echo, EDNS,
// truncation); a plugin only says rcode, authority flag and the three record sections.

import type { DnsMessage, Question, ResourceRecord } from '../wire/types.ts';

export interface DnsRequest {
  message: DnsMessage; // the decoded query
  question: Question; // message.questions[0]
  client: { address: string; port: number; transport: 'udp' | 'tcp' };
  maxSize: number; // bytes the answer may take on this transport (UDP: 512 or EDNS size; TCP: 65535)
}

export interface DnsResponse {
  rcode: number;
  aa?: boolean;
  /** Recursion available: set by forward from the upstream's answer; cluster answers leave it clear (as CoreDNS). */
  ra?: boolean;
  /**
   * The answer depends on the question and on the cluster's state alone, so the server may
   * replay it for identical queries until that state changes (see AnswerMemo). Set by the
   * kubernetes plugin; a plugin that makes an answer vary (shuffles, ages TTLs) clears it.
   */
  memo?: boolean;
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

export type Next = (req: DnsRequest) => Promise<DnsResponse>;

export interface DnsPlugin {
  name: string;
  handle(req: DnsRequest, next: Next): Promise<DnsResponse>;
}

/** What the server calls for each accepted query: a built chain, or any function of this shape. */
export type DnsHandler = (req: DnsRequest) => Promise<DnsResponse>;
