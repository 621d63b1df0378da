// The pause image (registry.k8s.io/pause): does nothing until SIGINT or SIGTERM, then
// prints the signal like psignal(3) and exits 0. `-v` prints the version.
const signalNames: Record<string, string> = { SIGINT: 'Interrupt', SIGTERM: 'Terminated' };

export function runPause(args: string[]): void {
  if (args[0] === '-v') {
    process.stdout.write('pause.c v3.10 (knet)\n');
    return;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stderr.write(`Shutting down, got signal: ${signalNames[signal]}\n`);
      process.exit(0);
    });
  }
  setInterval(() => {}, 1 << 30);
}
