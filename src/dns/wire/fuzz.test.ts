// Bounded fuzzing of the decoder: random and mutated packets for about three seconds.
// Every input must either decode or throw DnsFormatError, quickly; and whatever decodes
// must encode again and decode to the same message (the codec agrees with itself).

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeMessage } from './decode.ts';
import { encodeMessage } from './encode.ts';
import { DnsFormatError } from './errors.ts';
import { mutate, prng, randomPacket, seedMessages } from './fuzz-inputs.ts';
import type { DnsMessage } from './types.ts';

it('decoder survives random and mutated packets for ~3 s', () => {
  const seed = Number(process.env.DNS_FUZZ_SEED ?? Date.now() % 1e9);
  const rnd = prng(seed);
  const seeds = seedMessages();
  const deadline = performance.now() + 3000;
  let runs = 0;
  let decoded = 0;
  let slowest = 0;
  while (performance.now() < deadline) {
    const input = rnd() < 0.3 ? randomPacket(rnd) : mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
    runs++;
    const t0 = performance.now();
    let msg: DnsMessage;
    try {
      msg = decodeMessage(input);
    } catch (err) {
      if (!(err instanceof DnsFormatError)) {
        assert.fail(`seed ${seed} run ${runs}: ${Buffer.from(input).toString('hex')} threw ${String(err)}`);
      }
      continue;
    } finally {
      slowest = Math.max(slowest, performance.now() - t0);
    }
    decoded++;
    const again = decodeMessage(encodeMessage(msg));
    assert.deepEqual(again, msg, `seed ${seed}: re-encode changed ${Buffer.from(input).toString('hex')}`);
  }
  console.log(`fuzz seed ${seed}: ${runs} inputs, ${decoded} decoded, slowest ${slowest.toFixed(2)} ms`);
  assert.ok(runs > 10_000, `only ${runs} runs`);
  assert.ok(decoded > 100, `only ${decoded} inputs decoded: mutations too destructive`);
  assert.ok(slowest < 100, `slowest decode took ${slowest} ms (seed ${seed})`);
});
