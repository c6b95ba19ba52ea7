// A page-local dictionary keyed by the field's bytes, so each distinct string
// is decoded from UTF-8 once per page rather than once per row.
import { asciiText } from './numbers';
import { numberInto, remapInPlace } from '../../store/dictionary';

const EMPTY_TABLE = 1 << 10;

export class PageDictionary {
  readonly codes: Uint32Array;
  private table = new Int32Array(EMPTY_TABLE);
  private mask = EMPTY_TABLE - 1;
  private size = 0;
  private hashes = new Int32Array(256);
  private starts = new Int32Array(256);
  private lens = new Int32Array(256);
  /** byte position of each entry's first occurrence in the page, for messages */
  private firstAt = new Int32Array(256);
  private pool = new Uint8Array(4096);
  private used = 0;
  /** OR of every pooled byte: below 0x80 means the whole pool is ASCII */
  private high = 0;

  constructor(rows: number) {
    this.codes = new Uint32Array(rows);
  }

  /** The code of bytes [s, e) of `u8`, adding them when new; `at` is where the field starts. */
  add(u8: Uint8Array, s: number, e: number, at: number): number {
    // FNV-1a; | 0 keeps the empty string's hash an int32 like every other, so "" is found again
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ u8[i]!, 0x01000193);
    const len = e - s;
    const mask = this.mask;
    const table = this.table;
    let slot = h & mask;
    for (;;) {
      const k = table[slot]!;
      if (k === 0) break;
      const id = k - 1;
      if (this.hashes[id] === h && this.lens[id] === len && this.same(u8, s, this.starts[id]!, len)) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    if (id === this.hashes.length) this.growEntries();
    if (this.used + len > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.used + len));
      pool.set(this.pool.subarray(0, this.used));
      this.pool = pool;
    }
    let high = 0;
    for (let i = 0; i < len; i++) high |= this.pool[this.used + i] = u8[s + i]!;
    this.high |= high;
    this.hashes[id] = h;
    this.starts[id] = this.used;
    this.lens[id] = len;
    this.firstAt[id] = at;
    this.used += len;
    table[slot] = id + 1;
    if (this.size * 2 > mask) this.rehash();
    return id;
  }

  /**
   * The dictionary's strings. Bytes that are not UTF-8 become U+FFFD; `bad`
   * gets the page position of the first entry that held some.
   */
  strings(bad: { at: number; count: number }): string[] {
    const out = new Array<string>(this.size);
    if (this.high < 0x80) {
      // ASCII: one string for the pool, sliced per entry
      const all = asciiText(this.pool, 0, this.used);
      for (let i = 0; i < this.size; i++) out[i] = all.slice(this.starts[i], this.starts[i]! + this.lens[i]!);
      return out;
    }
    const strict = new TextDecoder('utf-8', { fatal: true });
    const lenient = new TextDecoder('utf-8');
    for (let i = 0; i < this.size; i++) {
      const bytes = this.pool.subarray(this.starts[i], this.starts[i]! + this.lens[i]!);
      try {
        out[i] = strict.decode(bytes);
      } catch {
        out[i] = lenient.decode(bytes);
        if (bad.count++ === 0 || this.firstAt[i]! < bad.at) bad.at = this.firstAt[i]!;
      }
    }
    return out;
  }

  /** Drops entries no row refers to (rows skipped after adding them), renumbering codes. */
  compact(rows: number): void {
    const keep = new Int32Array(this.size).fill(-1);
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const c = this.codes[r]!;
      if (keep[c] === -1) keep[c] = 1;
    }
    for (let i = 0; i < this.size; i++) {
      if (keep[i] === -1) continue;
      keep[i] = n;
      this.starts[n] = this.starts[i]!;
      this.lens[n] = this.lens[i]!;
      this.hashes[n] = this.hashes[i]!;
      this.firstAt[n] = this.firstAt[i]!;
      n++;
    }
    if (n === this.size) return;
    for (let r = 0; r < rows; r++) this.codes[r] = keep[this.codes[r]!]!;
    this.size = n;
    this.rehash();
  }

  get count(): number {
    return this.size;
  }

  private same(u8: Uint8Array, s: number, at: number, len: number): boolean {
    const pool = this.pool;
    for (let i = 0; i < len; i++) if (pool[at + i] !== u8[s + i]) return false;
    return true;
  }

  private growEntries(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.starts = grow(this.starts);
    this.lens = grow(this.lens);
    this.firstAt = grow(this.firstAt);
  }

  private rehash(): void {
    let cap = EMPTY_TABLE;
    while (cap < this.size * 4) cap *= 2;
    const table = new Int32Array(cap);
    const mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * A page's codes (first `rows` of `codes`, into `strings`) numbered after
 * `known` (PageRequest.known): its strings keep their places, the page's
 * others follow in their order; codes as narrow as the dictionary allows.
 * Without `known`, narrowCodes.
 */
export function numberedAs(known: readonly string[] | undefined, codes: Uint16Array | Uint32Array, rows: number, strings: string[]):
  { codes: Uint8Array | Uint16Array | Uint32Array; dictionary: string[] } {
  if (!known?.length) return { codes: narrowCodes(codes, rows, strings.length), dictionary: strings };
  const dictionary = known.slice();
  const at = new Map<string, number>();
  dictionary.forEach((s, i) => { if (!at.has(s)) at.set(s, i); });
  const { remap, identity } = numberInto(dictionary, at, strings);
  // the page's own copy first (a native copy, out of the scratch the next chunk reuses), then
  // one table lookup a row in place: a loop reading the scratch's u16 codes cost ~3x as much
  let out = narrowCodes(codes, rows, Math.max(dictionary.length, strings.length));
  if (out.buffer === codes.buffer) out = out.slice();
  if (!identity) remapInPlace(out, remap);
  return { codes: out, dictionary };
}

/** Codes as narrow as the dictionary allows (store/types codeBytes). */
export function narrowCodes(codes: Uint16Array | Uint32Array, rows: number, size: number): Uint8Array | Uint16Array | Uint32Array {
  const view = codes.subarray(0, rows);
  if (size > 65536) return view;
  const out = size <= 256 ? new Uint8Array(rows) : new Uint16Array(rows);
  out.set(view);
  return out;
}
