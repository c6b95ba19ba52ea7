// TBaskets: where each one is, fetching them (neighbouring baskets in one read,
// which matters for URL range requests), inflating them (inflate.ts),
// and a small cache so a basket that straddles two chunks is read once.
// The basket header is parsed here rather than by jsroot's TBasket streamer,
// which misreads baskets written without entry offsets (ROOT's
// kGenerateOffsetMap, flag 80: uproot-small-dy-nooffsets.root).
import type { RootBranch, RootEmbeddedBasket } from 'jsroot/io';
import type { ByteReader } from '../source';
import { badFile } from '../bad-file';
import { inflate } from './inflate';

export interface BasketRef {
  /** entries [start, end) */
  start: number;
  end: number;
  /** on disk: byte range of the whole key */
  seek: number;
  bytes: number;
  /** not yet written when the tree was saved: stored inside the TBranch */
  embedded?: RootEmbeddedBasket;
}

export interface Basket {
  start: number;
  end: number;
  /** the entries' bytes (ROOT's buffer from fKeylen to fLast) */
  data: DataView;
  /** where each entry starts in `data`, plus the end; null when the basket stores none */
  offsets: Int32Array | null;
}

/** The baskets of a branch, checked to cover entries [0, entries) in order. */
export function basketRefs(branch: RootBranch, entries: number): BasketRef[] {
  const refs: BasketRef[] = [];
  const entryAt = (k: number, fallback: number) => (k < branch.fMaxBaskets && k < branch.fBasketEntry.length ? Number(branch.fBasketEntry[k]) : fallback);
  for (let k = 0; k < branch.fWriteBasket; k++) {
    const start = entryAt(k, NaN);
    const end = k + 1 < branch.fWriteBasket ? entryAt(k + 1, NaN) : entryAt(k + 1, branch.fEntries) || branch.fEntries;
    refs.push({ start, end, seek: Number(branch.fBasketSeek[k]), bytes: Number(branch.fBasketBytes[k]) });
  }
  const embedded = branch.fBaskets?.arr ?? [];
  for (let k = branch.fWriteBasket; k < embedded.length; k++) {
    const b = embedded[k];
    if (!b || !(b.fNevBuf > 0)) continue;
    const start = refs.length > 0 ? refs[refs.length - 1]!.end : entryAt(k, 0);
    refs.push({ start, end: start + b.fNevBuf, seek: 0, bytes: 0, embedded: b });
  }
  let at = 0;
  for (const r of refs) {
    if (r.start !== at || !(r.end > r.start) || (!r.embedded && !(r.seek > 0 && r.bytes > 0))) {
      throw new Error('its baskets do not cover its entries in order; the file looks damaged');
    }
    at = r.end;
  }
  if (at !== entries) throw new Error(`its baskets hold ${at} entries, the tree ${entries}`);
  return refs;
}

/** Indices of the baskets that hold entries [first, end). */
export function basketsFor(refs: BasketRef[], first: number, end: number): number[] {
  const out: number[] = [];
  let lo = 0;
  let hi = refs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (refs[mid]!.end <= first) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < refs.length && refs[k]!.start < end; k++) out.push(k);
  return out;
}

/** Reads merged when the gap between baskets is this small: one request instead of two. */
const MERGE_GAP = 64 << 10;
const MERGE_MAX = 16 << 20;
/** ROOT caps a basket's buffer below 1 GiB; zlib's best ratio is about 1000:1. */
const MAX_BASKET = 1 << 30;
const MAX_RATIO = 1100;

interface Cached { basket: Promise<Basket>; bytes: number }

/** One basket wanted: the branch's basket list, an index into it, the branch name for messages. */
export interface BasketRequest { refs: BasketRef[]; k: number; branch: string }

interface Pending { ref: BasketRef; branch: string; resolve: (b: Basket) => void; reject: (e: unknown) => void }

export class BasketStore {
  private readonly cache = new Map<string, Cached>();
  private cachedBytes = 0;
  private readonly ids = new WeakMap<BasketRef[], number>();
  private nextId = 0;

  constructor(private readonly reader: ByteReader, private readonly budget = 32 << 20) {}

  /** The baskets asked for, fetched together; each request is (branch's refs, basket index). */
  load(requests: BasketRequest[], signal?: AbortSignal): Promise<Basket[]> {
    signal?.throwIfAborted();
    const out: Promise<Basket>[] = [];
    const toFetch: Pending[] = [];
    for (const { refs, k, branch } of requests) {
      const key = `${this.idOf(refs)}:${k}`;
      const hit = this.cache.get(key);
      if (hit) {
        this.cache.delete(key);
        this.cache.set(key, hit);
        out.push(hit.basket);
        continue;
      }
      const ref = refs[k]!;
      let basket: Promise<Basket>;
      if (ref.embedded) {
        basket = Promise.resolve().then(() => embeddedBasket(ref, branch, this.reader.name));
      } else {
        basket = new Promise<Basket>((resolve, reject) => toFetch.push({ ref, branch, resolve, reject }));
      }
      this.remember(key, basket, ref);
      out.push(basket);
    }
    this.fetch(toFetch);
    return Promise.all(out);
  }

  clear(): void {
    this.cache.clear();
    this.cachedBytes = 0;
  }

  private idOf(refs: BasketRef[]): number {
    let id = this.ids.get(refs);
    if (id === undefined) this.ids.set(refs, (id = this.nextId++));
    return id;
  }

  private remember(key: string, basket: Promise<Basket>, ref: BasketRef): void {
    const entry: Cached = { basket, bytes: 0 };
    this.cache.set(key, entry);
    basket.then(
      (b) => {
        entry.bytes = b.data.byteLength + (ref.embedded ? 0 : ref.bytes);
        this.cachedBytes += entry.bytes;
        for (const [k, c] of this.cache) {
          if (this.cachedBytes <= this.budget || c === entry) break;
          this.cache.delete(k);
          this.cachedBytes -= c.bytes;
        }
      },
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
  }

  private fetch(list: Pending[]): void {
    list.sort((a, b) => a.ref.seek - b.ref.seek);
    let i = 0;
    while (i < list.length) {
      const from = list[i]!.ref.seek;
      let to = from + list[i]!.ref.bytes;
      let j = i + 1;
      while (j < list.length && list[j]!.ref.seek - to <= MERGE_GAP && Math.max(to, list[j]!.ref.seek + list[j]!.ref.bytes) - from <= MERGE_MAX) {
        to = Math.max(to, list[j]!.ref.seek + list[j]!.ref.bytes);
        j++;
      }
      const group = list.slice(i, j);
      this.reader.read(from, to - from).then(
        (bytes) => {
          for (const g of group) {
            const at = g.ref.seek - from;
            if (bytes.byteLength < at + g.ref.bytes) {
              g.reject(badFile(this.reader.name, `branch ${g.branch}: its data at bytes ${g.ref.seek}–${g.ref.seek + g.ref.bytes} lie beyond the end of the file (${this.reader.size} bytes); is it truncated?`));
              continue;
            }
            diskBasket(bytes.subarray(at, at + g.ref.bytes), g.ref, g.branch, this.reader.name).then(g.resolve, g.reject);
          }
        },
        (e) => group.forEach((g) => g.reject(e)),
      );
      i = j;
    }
  }
}

async function diskBasket(bytes: Uint8Array, ref: BasketRef, branch: string, file: string): Promise<Basket> {
  const bad = (what: string) => badFile(file, `branch ${branch}, basket at byte ${ref.seek}: ${what}; the file looks damaged`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let h: BasketHeader;
  try {
    h = basketHeader(view);
  } catch {
    throw bad('its header cannot be read');
  }
  const entries = ref.end - ref.start;
  // a damaged size must not become a gigabyte allocation
  const plausible = h.objlen >= 0 && h.objlen <= Math.min(MAX_BASKET, MAX_RATIO * h.nbytes + 4096);
  if (h.nbytes !== ref.bytes || h.keylen < 18 || h.keylen > h.nbytes || h.last < h.keylen || h.last - h.keylen > h.objlen || h.nevbuf !== entries || !plausible) {
    throw bad('its header does not match the branch');
  }
  let content: DataView;
  if (h.objlen === h.nbytes - h.keylen) {
    content = new DataView(bytes.buffer, bytes.byteOffset + h.keylen, h.objlen);
  } else {
    const inflated = await inflate(view, h.keylen, h.objlen, file);
    if (typeof inflated === 'string') throw bad(`it does not decompress (${inflated})`);
    content = inflated;
  }
  const dataBytes = h.last - h.keylen;
  const data = new DataView(content.buffer, content.byteOffset, dataBytes);
  let offsets: Int32Array | null = null;
  // ROOT stores the entry offsets after the data: a count, then one Int32 per entry, counted from the key's start
  if (h.flag !== 80 && content.byteLength >= dataBytes + 4) {
    const n = content.getInt32(dataBytes);
    if (n < entries || content.byteLength < dataBytes + 4 + 4 * n) throw bad('its entry offsets are cut short');
    offsets = new Int32Array(entries + 1);
    for (let i = 0; i < entries; i++) offsets[i] = content.getInt32(dataBytes + 4 + 4 * i) - h.keylen;
    offsets[entries] = dataBytes;
    checkOffsets(offsets, dataBytes, bad);
  }
  return { start: ref.start, end: ref.end, data, offsets };
}

function embeddedBasket(ref: BasketRef, branch: string, file: string): Basket {
  const b = ref.embedded!;
  const bad = (what: string) => badFile(file, `branch ${branch}, basket stored in the tree: ${what}; the file looks damaged`);
  const entries = ref.end - ref.start;
  const dataBytes = b.fLast - b.fKeylen;
  const buf = b.fBufferRef?.arr;
  if (!buf || !(dataBytes >= 0) || buf.byteLength < dataBytes) throw bad('its data are missing');
  const data = new DataView(buf.buffer, buf.byteOffset, dataBytes);
  let offsets: Int32Array | null = null;
  if (b.fEntryOffset && b.fEntryOffset.length >= entries) {
    offsets = new Int32Array(entries + 1);
    for (let i = 0; i < entries; i++) offsets[i] = b.fEntryOffset[i]! - b.fKeylen;
    offsets[entries] = dataBytes;
    checkOffsets(offsets, dataBytes, bad);
  }
  return { start: ref.start, end: ref.end, data, offsets };
}

function checkOffsets(offsets: Int32Array, dataBytes: number, bad: (what: string) => Error): void {
  for (let i = 0; i + 1 < offsets.length; i++) {
    if (offsets[i]! < 0 || offsets[i]! > offsets[i + 1]! || offsets[i + 1]! > dataBytes) throw bad('its entry offsets are out of order');
  }
}

interface BasketHeader { nbytes: number; objlen: number; keylen: number; nevbuf: number; last: number; flag: number }

/** TKey then TBasket's own fields (ROOT's TKey::Streamer, TBasket::Streamer). */
function basketHeader(v: DataView): BasketHeader {
  const nbytes = v.getInt32(0);
  const version = v.getInt16(4);
  const objlen = v.getInt32(6);
  const keylen = v.getInt16(14);
  let p = 18 + (version > 1000 ? 16 : 8);
  for (let s = 0; s < 3; s++) {
    const n = v.getUint8(p);
    p += n === 255 ? 5 + v.getInt32(p + 1) : 1 + n;
  }
  p += 2 + 4; // version, fBufferSize
  let nevbufsize = v.getInt32(p);
  p += 4;
  if (nevbufsize < 0) {
    nevbufsize = -nevbufsize;
    p += 1; // fIOBits
  }
  const nevbuf = v.getInt32(p);
  const last = v.getInt32(p + 4);
  const flag = v.getUint8(p + 8);
  return { nbytes, objlen, keylen, nevbuf, last, flag };
}
