// Public face of the DNS wire codec.
export type { DnsHeaderFlags, DnsMessage, Edns, Question, RData, ResourceRecord } from './types.ts';
export { Opcode, RRClass, Rcode, RRType } from './types.ts';
export type { DnsFormatReason, DnsHeader } from './errors.ts';
export { DnsEncodeError, DnsFormatError } from './errors.ts';
export { decodeHeader, decodeMessage } from './decode.ts';
export { newQuery } from './query.ts';
export type { EncodeOptions } from './encode.ts';
export { encodeMessage, fullRcode, MAX_MESSAGE_SIZE, MIN_UDP_SIZE } from './encode.ts';
export {
  bytesToLabel,
  ipFromReverseName,
  isSubdomain,
  joinLabels,
  labelToBytes,
  MAX_LABEL_OCTETS,
  MAX_NAME_OCTETS,
  nameEquals,
  reverseIPv4,
  reverseIPv6,
  reverseName,
  splitLabels,
  toLowerName,
} from './names.ts';
export { bytesToIPv4, bytesToIPv6, ipv4ToBytes, ipv6ToBytes } from './ip-bytes.ts';
