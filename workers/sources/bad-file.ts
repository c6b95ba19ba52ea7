// The one way a reader reports a file it cannot read: a BadFile that names the
// file and never carries a library's stack (hyparquet, apache-arrow, jsroot).
import { EngineError } from '../engine/errors';

export function badFile(name: string, what: string): EngineError {
  return new EngineError('BadFile', `${name}: ${what}`);
}

/** Our own errors and aborts pass through; a library error becomes a BadFile carrying its message only. */
export function asBadFile(e: unknown, name: string, doing: string): Error {
  if (e instanceof EngineError) return e;
  if (e instanceof Error && e.name === 'AbortError') return e;
  const detail = e instanceof Error ? e.message : String(e);
  return badFile(name, `${doing} failed; the file looks damaged or truncated (${detail})`);
}
