// Share links: the whole analysis document in the URL fragment (`#a=<payload>`),
// so nothing reaches a server. payload = base64url, without padding, of the
// deflate-raw compression of the UTF-8 canonical JSON (README, "Share links").
// A link comes from someone else: decoding caps every size before it grows and
// hands back only a document that passed the shape checks, never code.
import { canonicalize, validateShape, type AnalysisDoc, type AnalysisInput } from '../../workers/analysis';

export const LINK_PREFIX = '#a=';
/** base64url characters of a payload; a URL this long is already past what some browsers keep. */
export const MAX_PAYLOAD_CHARS = 200_000;
/** decompressed bytes of the JSON; decompression stops as soon as it passes this */
export const MAX_JSON_BYTES = 1 << 20;

export type DecodedLink = { ok: true; doc: AnalysisDoc } | { ok: false; error: string };

const B64URL = /^[A-Za-z0-9_-]*$/;
const MAX_REPORTED = 3;

/** The fragment payload (without `#a=`) of a document. */
export async function encodeLink(doc: AnalysisInput | AnalysisDoc): Promise<string> {
  const json = new TextEncoder().encode(canonicalize(doc));
  if (json.byteLength > MAX_JSON_BYTES) {
    throw new Error(`the analysis is ${json.byteLength} bytes of JSON, more than the ${MAX_JSON_BYTES} a link may hold`);
  }
  const packed = await drain(new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw')), Infinity);
  return toBase64Url(packed!);
}

/** The document a payload holds, or why it can't be opened. Never throws. */
export async function decodeLink(payload: string): Promise<DecodedLink> {
  try {
    return await decode(payload);
  } catch (e) {
    return fail(`it could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The payload of a `#a=` fragment, or undefined when the fragment is something else. */
export function payloadOfHash(hash: string): string | undefined {
  return hash.startsWith(LINK_PREFIX) ? hash.slice(LINK_PREFIX.length) : undefined;
}

const fail = (why: string): DecodedLink => ({ ok: false, error: `This share link can't be opened: ${why}${/[.?!]$/.test(why) ? '' : '.'}` });

async function decode(payload: string): Promise<DecodedLink> {
  if (typeof payload !== 'string') return fail('it is not text');
  if (payload.length > MAX_PAYLOAD_CHARS) {
    return fail(`it is ${payload.length.toLocaleString('en')} characters long, more than the ${MAX_PAYLOAD_CHARS.toLocaleString('en')} Sift accepts`);
  }
  // Padding is not part of the format, but tools that add it still make a readable link.
  const text = payload.replace(/={1,2}$/, '');
  if (text === '') return fail('it is empty');
  if (!B64URL.test(text) || text.length % 4 === 1) return fail('it is not base64url text (A–Z, a–z, 0–9, - and _); was it cut short or changed?');
  const packed = fromBase64Url(text);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await drain(new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw')), MAX_JSON_BYTES);
  } catch {
    return fail('its data is damaged (it does not decompress as deflate-raw)');
  }
  if (!bytes) return fail(`its analysis is larger than ${MAX_JSON_BYTES / (1 << 20)} MiB`);
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail('its analysis is not UTF-8 text');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return fail(`its analysis is not JSON (${e instanceof Error ? e.message : 'parse error'})`);
  }
  const shape = validateShape(value);
  if (!shape.ok) {
    const d = shape.diagnostics;
    const listed = d.slice(0, MAX_REPORTED).map((x) => (x.path ? `${x.path}: ${x.message}` : x.message)).join('; ');
    return fail(`its analysis is not valid: ${listed}${d.length > MAX_REPORTED ? `; and ${d.length - MAX_REPORTED} more` : ''}`);
  }
  return { ok: true, doc: shape.doc };
}

/**
 * Reads a byte stream to the end, or to `limit` bytes: past it the stream is
 * cancelled (a small link can inflate to gigabytes) and the result is undefined.
 */
async function drain(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
