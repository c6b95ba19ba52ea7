import { EngineError } from '../../engine/errors';

/** A file Sift cannot read as ROOT: names the file, never carries a jsroot stack. */
export function badFile(name: string, what: string): EngineError {
  return new EngineError('BadFile', `${name}: ${what}`);
}

/** Our own errors pass through; anything jsroot throws becomes a BadFile with its message only. */
export function asBadFile(e: unknown, name: string, doing: string): Error {
  if (e instanceof EngineError) return e;
  if (e instanceof Error && e.name === 'AbortError') return e;
  const detail = e instanceof Error ? e.message : String(e);
  return badFile(name, `${doing} failed; the file looks damaged or truncated (${detail})`);
}

/**
 * jsroot's reading is a chain of promises; on damaged input a step can wait on
 * something that never comes. A time box turns that into an error.
 */
export async function timeBox<T>(work: Promise<T>, ms: number, name: string, doing: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(badFile(name, `${doing} did not finish within ${ms / 1000} s; the file looks damaged`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (e) {
    throw asBadFile(e, name, doing);
  } finally {
    clearTimeout(timer);
  }
}
