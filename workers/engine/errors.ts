import type { Diagnostic } from '../expr/diagnostic';
import type { ErrorInfo } from '../protocol';

/** An error a user can act on: a name to branch on and a message to show. */
export class EngineError extends Error {
  constructor(name: string, message: string, readonly diagnostics?: Diagnostic[]) {
    super(message);
    this.name = name;
  }
}

/** Flattens any thrown value for the wire (comlink, postMessage, stderr). */
export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof EngineError) return { name: e.name, message: e.message, ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}) };
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { name: 'Error', message: String(e) };
}
