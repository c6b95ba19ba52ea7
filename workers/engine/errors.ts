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

/** What JavaScript and the platform throw by themselves; any other name is one of ours. */
const PLATFORM_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'AbortError', 'DataCloneError', 'InternalError']);

/**
 * An error that crossed from a worker (comlink sends name, message and stack,
 * and rebuilds a plain Error): ours becomes an EngineError again, so a damaged
 * file's message reaches the user as the same kind of error whichever thread found it.
 */
export function revived(e: unknown): unknown {
  if (e instanceof EngineError || !(e instanceof Error) || PLATFORM_ERRORS.has(e.name)) return e;
  return new EngineError(e.name, e.message);
}
