// The small directives: log, errors, health, ready, prometheus, loadbalance, reload, loop.

import { expectArgs, expectNoBlock, parseDuration, parseListenAddress, parseZone, unknownOption } from '../args.ts';
import { CorefileError } from '../errors.ts';
import type { Directive } from '../parser.ts';
import type {
  ErrorsConfig, HealthConfig, LoadbalanceConfig, LogConfig, LoopConfig, PrometheusConfig, ReadyConfig, ReloadConfig,
} from '../types.ts';

const logClasses = ['success', 'denial', 'error', 'all'] as const;

export function readLog(d: Directive): LogConfig {
  // CoreDNS's `log [NAMES...] [FORMAT]`: a custom format is not offered, knet logs structured fields.
  for (const a of d.args) {
    if (a.text.includes('{')) {
      throw new CorefileError(a.line, 'knet\'s log has a fixed format; remove the format argument and write: log [NAMES...]');
    }
  }
  const zones = d.args.map((a) => parseZone(a, 'log name'));
  const classes: LogConfig['classes'][number][] = [];
  for (const o of d.block ?? []) {
    if (o.name !== 'class') throw unknownOption('log', o, ['class']);
    expectArgs(o, 1, Infinity, 'class success|denial|error|all...');
    for (const a of o.args) {
      if (!(logClasses as readonly string[]).includes(a.text)) {
        throw new CorefileError(a.line, `log class must be one of ${logClasses.join(', ')}, not "${a.text}"`);
      }
      classes.push(a.text as LogConfig['classes'][number]);
    }
  }
  return { zones, classes: classes.length > 0 ? classes : ['all'] };
}

export function readErrors(d: Directive): ErrorsConfig {
  expectArgs(d, 0, 0, 'errors');
  if (d.block !== null && d.block.length > 0) {
    throw new CorefileError(d.block[0].line, `errors option "${d.block[0].name}" is not supported by knet; write plain: errors`);
  }
  return { enabled: true };
}

export function readHealth(d: Directive): HealthConfig {
  expectArgs(d, 0, 1, 'health [ADDRESS] { lameduck DURATION }');
  const address = d.args.length > 0 ? parseListenAddress(d.args[0], 'health address', 8080) : { host: '', port: 8080 };
  let lameduckMs = 0;
  for (const o of d.block ?? []) {
    if (o.name !== 'lameduck') throw unknownOption('health', o, ['lameduck']);
    expectArgs(o, 1, 1, 'lameduck DURATION');
    lameduckMs = parseDuration(o.args[0], 'lameduck');
  }
  return { address, lameduckMs };
}

export function readReady(d: Directive): ReadyConfig {
  expectArgs(d, 0, 1, 'ready [ADDRESS]');
  expectNoBlock(d, 'ready [ADDRESS]');
  return { address: d.args.length > 0 ? parseListenAddress(d.args[0], 'ready address', 8181) : { host: '', port: 8181 } };
}

export function readPrometheus(d: Directive): PrometheusConfig {
  expectArgs(d, 0, 1, 'prometheus [ADDRESS]');
  expectNoBlock(d, 'prometheus [ADDRESS]');
  const address = d.args.length > 0 ? parseListenAddress(d.args[0], 'prometheus address', 9153) : { host: 'localhost', port: 9153 };
  return { address };
}

export function readLoadbalance(d: Directive): LoadbalanceConfig {
  expectArgs(d, 0, 1, 'loadbalance [round_robin]');
  expectNoBlock(d, 'loadbalance [round_robin]');
  if (d.args.length === 1 && d.args[0].text !== 'round_robin') {
    throw new CorefileError(d.line, `loadbalance policy "${d.args[0].text}" is not supported by knet; write: loadbalance round_robin`);
  }
  return { policy: 'round_robin' };
}

export function readReload(d: Directive): ReloadConfig {
  expectArgs(d, 0, 2, 'reload [INTERVAL] [JITTER]');
  expectNoBlock(d, 'reload [INTERVAL] [JITTER]');
  const intervalMs = d.args.length > 0 ? parseDuration(d.args[0], 'reload interval') : 30_000;
  let jitterMs = d.args.length > 1 ? parseDuration(d.args[1], 'reload jitter') : 15_000;
  // CoreDNS: interval at least 2s, jitter at least 1s; a jitter above half the interval is cut to half.
  if (intervalMs < 2000) throw new CorefileError(d.line, `reload interval must be at least 2s, not ${d.args[0].text}`);
  if (jitterMs < 1000) throw new CorefileError(d.line, `reload jitter must be at least 1s, not ${d.args[1].text}`);
  jitterMs = Math.min(jitterMs, Math.floor(intervalMs / 2));
  return { intervalMs, jitterMs };
}

export function readLoop(d: Directive): LoopConfig {
  expectArgs(d, 0, 0, 'loop');
  expectNoBlock(d, 'loop');
  return { enabled: true };
}
