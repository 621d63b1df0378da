// Test support: run the real `dig` (bind9-dnsutils) against a loopback server and read its
// answer back as rcode, flags and record lines.

import { execFile } from 'node:child_process';

export interface DigResult {
  status: string;
  flags: string[];
  answers: { name: string; ttl: number; type: string; data: string }[];
  authority: string[];
  ms: number;
  raw: string;
}

function section(raw: string, title: string): string[] {
  const start = raw.indexOf(`;; ${title} SECTION:`);
  if (start < 0) return [];
  const lines = raw.slice(start).split('\n').slice(1);
  const end = lines.findIndex((l) => l.trim() === '');
  return (end < 0 ? lines : lines.slice(0, end)).filter((l) => !l.startsWith(';'));
}

export function dig(port: number, name: string, type = 'A', extra: string[] = []): Promise<DigResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), name, type, '+tries=1', '+time=3', ...extra], { timeout: 10_000 }, (err, stdout) => {
      if (err && !stdout) return reject(err);
      const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NO-ANSWER';
      const flags = (/;; flags: ([a-z ]+);/.exec(stdout)?.[1] ?? '').trim().split(/\s+/);
      const answers = section(stdout, 'ANSWER').map((l) => {
        const [n, ttl, , t, ...data] = l.split(/\s+/);
        return { name: n, ttl: Number(ttl), type: t, data: data.join(' ') };
      });
      resolve({ status, flags, answers, authority: section(stdout, 'AUTHORITY'), ms: Date.now() - started, raw: stdout });
    });
  });
}
