// Test-only packet tracer over knet's nftables model (never used at run time).
export { PacketTracer, TraceError, priorityValue, tracePacket, type L4, type TracePacket, type TraceResult } from './tracer.ts';
export { parseRule, TraceSyntaxError, type Statement } from './parse.ts';
