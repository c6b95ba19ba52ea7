import { asBadFile, badFile } from '../bad-file';

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
