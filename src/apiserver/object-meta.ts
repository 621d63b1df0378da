// ObjectMeta bookkeeping the server owns: uid, creationTimestamp, generateName, resourceVersion.

import { randomUUID, randomInt } from 'node:crypto';

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
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function newUid(): string {
  return randomUUID();
}
