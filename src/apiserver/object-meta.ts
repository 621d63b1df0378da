// ObjectMeta bookkeeping the server owns: uid, creationTimestamp, generateName, resourceVersion.

import { randomUUID, randomInt } from 'node:crypto';
import { rfc3339 } from '../lib/time.ts';

/** Characters upstream's name generator draws from (no vowels, no look-alikes). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 63 - 5;

export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return base.slice(0, MAX_GENERATED_NAME_LENGTH) + suffix;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function timestamp(ms = Date.now()): string {
  return rfc3339(ms);
}

export function newUid(): string {
  return randomUUID();
}
