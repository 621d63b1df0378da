// Public face of the DNS server: the plugin contract, the chain, the sockets.
export type { DnsHandler, DnsPlugin, DnsRequest, DnsResponse, Next } from './plugin.ts';
export { buildChain, endOfChain } from './chain.ts';
export type { AnswerMemo, AnswerOptions, DnsClient, DnsErrorContext, DnsErrorHook, LocalAnswer, LocalAnswerHook, MemoEntry } from './answer-query.ts';
export { acceptableCounts, answerQuery, DEFAULT_EDNS_UDP_SIZE } from './answer-query.ts';
export type { DnsServer, DnsServerOptions } from './server.ts';
export { startDnsServer } from './server.ts';
