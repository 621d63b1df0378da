// kubectl shorthands for scenario tests: run and expect success, parse `-o json`, apply an
// object from memory. `cluster` is read at call time (tests start the cluster in `before`).

import assert from 'node:assert/strict';
import type { TestCluster } from './harness.ts';

export function kubectlHelpers(cluster: () => TestCluster) {
  const kc = async (...args: string[]): Promise<string> => {
    const r = await cluster().kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const json = async (...args: string[]): Promise<any> => JSON.parse(await kc(...args, '-o', 'json'));
  const apply = async (obj: object): Promise<void> => {
    const r = await cluster().kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });
    assert.equal(r.code, 0, r.stderr);
  };
  return { kc, json, apply };
}
