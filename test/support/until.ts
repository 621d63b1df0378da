// Polls until a condition holds (a truthy value), failing the test with what it waited for
// and the last error seen. The bound tells a working behaviour from a broken one; it is not a
// performance target.

import assert from 'node:assert/strict';

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  assert.fail(`timed out waiting until ${what}${last ? `: ${last}` : ''}`);
}
