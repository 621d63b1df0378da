// Errors of the kubelet API, answered as Kubernetes Status objects so that the API server can
// pass them to clients unchanged (kubectl prints the message).

const REASONS: Record<number, string> = { 400: 'BadRequest', 404: 'NotFound', 500: 'InternalError' };

export class KubeletError extends Error {
  code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export function statusBody(code: number, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: REASONS[code] ?? 'InternalError', code });
}

export function errorOf(err: unknown): KubeletError {
  return err instanceof KubeletError ? err : new KubeletError(500, String((err as Error)?.message ?? err));
}
