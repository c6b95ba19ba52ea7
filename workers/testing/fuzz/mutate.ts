// Seeded mutations of a valid input, the way damage and malice look: bit flips,
// values that overflow the length and count fields formats read from headers,
// truncation, removed and duplicated byte ranges, bytes from elsewhere in the file.

export type Rng = () => number;

const INTERESTING_32 = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000000, 0xfffffff0];
const TEXT_NOISE = ['"', '""', ',', ';', '\t', '\n', '\r\n', '\r', '\0', '\\', 'NaN', '-', 'e', '1e999', '\u202e', '\ufeff', '<img src=x>', ' '];

const int = (rng: Rng, n: number) => Math.floor(rng() * n);

/** A cut point, biased towards the start of the file where headers live. */
function at(rng: Rng, length: number): number {
  if (length === 0) return 0;
  return rng() < 0.3 ? int(rng, Math.min(length, 256)) : int(rng, length);
}

type Mutator = (b: Uint8Array, rng: Rng) => Uint8Array;

const mutators: Record<string, Mutator> = {
  bitflip(b, rng) {
    const out = b.slice();
    for (let n = 1 + int(rng, 8); n > 0 && out.length > 0; n--) out[at(rng, out.length)]! ^= 1 << int(rng, 8);
    return out;
  },
  byte(b, rng) {
    const out = b.slice();
    if (out.length > 0) out[at(rng, out.length)] = [0, 0xff, 0x7f, 0x80, 0x01][int(rng, 5)]!;
    return out;
  },
  word(b, rng) {
    const out = b.slice();
    if (out.length < 4) return out;
    const v = INTERESTING_32[int(rng, INTERESTING_32.length)]!;
    new DataView(out.buffer).setUint32(at(rng, out.length - 3), v, rng() < 0.5);
    return out;
  },
  truncate(b, rng) {
    return b.slice(0, at(rng, b.length));
  },
  remove(b, rng) {
    const start = at(rng, b.length);
    const end = Math.min(b.length, start + 1 + int(rng, rng() < 0.7 ? 16 : 4096));
    const out = new Uint8Array(b.length - (end - start));
    out.set(b.subarray(0, start));
    out.set(b.subarray(end), start);
    return out;
  },
  duplicate(b, rng) {
    const start = at(rng, b.length);
    const end = Math.min(b.length, start + 1 + int(rng, rng() < 0.7 ? 16 : 4096));
    const into = at(rng, b.length);
    const out = new Uint8Array(b.length + (end - start));
    out.set(b.subarray(0, into));
    out.set(b.subarray(start, end), into);
    out.set(b.subarray(into), into + (end - start));
    return out;
  },
  overwrite(b, rng) {
    const out = b.slice();
    const n = Math.min(out.length, 1 + int(rng, 64));
    if (n === 0) return out;
    const from = int(rng, out.length - n + 1);
    out.set(b.subarray(from, from + n), int(rng, out.length - n + 1));
    return out;
  },
};

/** Text damage for delimited files: quotes, delimiters, line ends, NULs, RTL overrides at random places. */
function textNoise(b: Uint8Array, rng: Rng): Uint8Array {
  const noise = new TextEncoder().encode(TEXT_NOISE[int(rng, TEXT_NOISE.length)]!);
  const into = at(rng, b.length);
  const out = new Uint8Array(b.length + noise.length);
  out.set(b.subarray(0, into));
  out.set(noise, into);
  out.set(b.subarray(into), into + noise.length);
  return out;
}

/** One to three stacked mutations of `input`; `text` adds the delimited-text ones. */
export function mutate(input: Uint8Array, rng: Rng, text = false): { bytes: Uint8Array; how: string[] } {
  const names = Object.keys(mutators);
  let bytes = input;
  const how: string[] = [];
  for (let n = 1 + int(rng, 3); n > 0; n--) {
    if (text && rng() < 0.4) {
      bytes = textNoise(bytes, rng);
      how.push('text');
    } else {
      const name = names[int(rng, names.length)]!;
      bytes = mutators[name]!(bytes, rng);
      how.push(name);
    }
  }
  return { bytes, how };
}

/** Mutations of an expression's text: characters removed, repeated, swapped or inserted. */
export function mutateText(s: string, rng: Rng): string {
  const pieces = ['(', ')', '[', ']', '"', "'", '`', '\\', '.', 'e', '1e999', '&&', '||', '?', ':', '!', '-', ',', '::', 'sum(', 'x[', '\0', '\u202e', ' '];
  let out = s;
  for (let n = 1 + int(rng, 3); n > 0; n--) {
    const i = int(rng, out.length + 1);
    const r = rng();
    if (r < 0.3) out = out.slice(0, i) + out.slice(i + 1 + int(rng, 4));
    else if (r < 0.6) out = out.slice(0, i) + pieces[int(rng, pieces.length)]! + out.slice(i);
    else if (r < 0.8) out = out.slice(0, i) + out.slice(i, i + 1 + int(rng, 8)).repeat(1 + int(rng, 40)) + out.slice(i);
    else out = out.slice(i) + out.slice(0, i);
  }
  return out;
}
