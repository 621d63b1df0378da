import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FlagError, canonicalHeaderKey, formatGoDuration, goJson, joinHostPort, parseFlags, parseGoDuration } from './go-compat.ts';

it('parses and formats Go durations', () => {
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.throws(() => parseGoDuration('5'), /time: missing unit in duration "5"/);
  assert.throws(() => parseGoDuration('abc'), /time: invalid duration "abc"/);
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(90_000), '1m30s');
  assert.equal(formatGoDuration(1500), '1.5s');
  assert.equal(formatGoDuration(3_600_000), '1h0m0s');
  assert.equal(formatGoDuration(100), '100ms');
});

it('marshals JSON as encoding/json does', () => {
  assert.equal(goJson({ z: ['<&>'], a: 'x' }), '{"a":"x","z":["\\u003c\\u0026\\u003e"]}');
});

it('formats addresses and header keys as Go', () => {
  assert.equal(joinHostPort('::ffff:10.0.0.1', 80), '10.0.0.1:80');
  assert.equal(joinHostPort('fd00::1', 80), '[fd00::1]:80');
  assert.equal(canonicalHeaderKey('x-forwarded-for'), 'X-Forwarded-For');
});

it('parses pflag and Go flag syntaxes', () => {
  const spec = { port: { kind: 'int', default: 1 }, tcp: { kind: 'bool', default: false }, t: { kind: 'duration', default: 0 } } as const;
  assert.deepEqual(parseFlags(['--port', '9', 'x', '--tcp', '--t=2s'], spec, 'pflag'), { flags: { port: 9, tcp: true, t: 2000 }, positionals: ['x'] });
  assert.deepEqual(parseFlags(['--tcp=false'], spec, 'pflag').flags.tcp, false);
  assert.throws(() => parseFlags(['--nope'], spec, 'pflag'), (e: Error) => e instanceof FlagError && e.message === 'unknown flag: --nope');
  assert.throws(() => parseFlags(['--port=abc'], spec, 'pflag'), /invalid argument "abc" for "--port" flag/);
  assert.deepEqual(parseFlags(['-port=3', 'rest', '-tcp'], spec, 'go'), { flags: { port: 3, tcp: false, t: 0 }, positionals: ['rest', '-tcp'] });
});
