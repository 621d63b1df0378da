// Structured logging: one line per event, `time level msg key=value ...`, to stderr (or a file
// the caller chooses). Components return errors; the loop or request edge logs them once.

export type Logger = (msg: string, fields?: Record<string, unknown>) => void;

export function createLogger(component: string, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return (msg, fields = {}) => {
    const kv = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
    write(`${new Date().toISOString()} ${component}: ${msg}${kv.length ? ' ' + kv.join(' ') : ''}\n`);
  };
}
