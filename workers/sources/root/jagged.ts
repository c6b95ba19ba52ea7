// Per-event reductions of a jagged branch (RDataFrame's RVec helpers: Sum,
// Min, Max, Any, All, x.size(), x[i]): entry e's elements are
// values[offsets[e] … offsets[e+1]); each reduction gives one number per entry.
// Truth follows C: any non-zero value, NaN included, is true.

export type JaggedReduction = 'size' | 'sum' | 'min' | 'max' | 'any' | 'all';

/** Number of elements per entry. */
export function size(offsets: Uint32Array): Float64Array {
  const out = new Float64Array(offsets.length - 1);
  for (let e = 0; e < out.length; e++) out[e] = offsets[e + 1]! - offsets[e]!;
  return out;
}

/** Sum per entry; 0 for an empty entry. */
export function sum(offsets: Uint32Array, values: Float64Array): Float64Array {
  const out = new Float64Array(offsets.length - 1);
  for (let e = 0; e < out.length; e++) {
    let s = 0;
    for (let i = offsets[e]!; i < offsets[e + 1]!; i++) s += values[i]!;
    out[e] = s;
  }
  return out;
}

/** Smallest element per entry; NaN for an empty entry, or when an element is NaN. */
export function min(offsets: Uint32Array, values: Float64Array): Float64Array {
  return extreme(offsets, values, (a, b) => a < b);
}

/** Largest element per entry; NaN for an empty entry, or when an element is NaN. */
export function max(offsets: Uint32Array, values: Float64Array): Float64Array {
  return extreme(offsets, values, (a, b) => a > b);
}

/** 1 when some element is non-zero, else 0 (so 0 for an empty entry). */
export function any(offsets: Uint32Array, values: Float64Array): Float64Array {
  const out = new Float64Array(offsets.length - 1);
  for (let e = 0; e < out.length; e++) {
    let r = 0;
    for (let i = offsets[e]!; i < offsets[e + 1]!; i++) {
      if (values[i] !== 0) {
        r = 1;
        break;
      }
    }
    out[e] = r;
  }
  return out;
}

/** 1 when every element is non-zero (so 1 for an empty entry), else 0. */
export function all(offsets: Uint32Array, values: Float64Array): Float64Array {
  const out = new Float64Array(offsets.length - 1);
  for (let e = 0; e < out.length; e++) {
    let r = 1;
    for (let i = offsets[e]!; i < offsets[e + 1]!; i++) {
      if (values[i] === 0) {
        r = 0;
        break;
      }
    }
    out[e] = r;
  }
  return out;
}

/** Element `index` of each entry (`Jet_pt[0]`); NaN where the entry is shorter or the index is not a whole number ≥ 0. */
export function element(offsets: Uint32Array, values: Float64Array, index: number): Float64Array {
  const out = new Float64Array(offsets.length - 1).fill(NaN);
  if (!Number.isInteger(index) || index < 0) return out;
  for (let e = 0; e < out.length; e++) {
    const i = offsets[e]! + index;
    if (i < offsets[e + 1]!) out[e] = values[i]!;
  }
  return out;
}

/** The reduction named, for callers that pick it from an expression. */
export function reduce(kind: JaggedReduction, offsets: Uint32Array, values: Float64Array): Float64Array {
  switch (kind) {
    case 'size': return size(offsets);
    case 'sum': return sum(offsets, values);
    case 'min': return min(offsets, values);
    case 'max': return max(offsets, values);
    case 'any': return any(offsets, values);
    case 'all': return all(offsets, values);
  }
}

function extreme(offsets: Uint32Array, values: Float64Array, better: (a: number, b: number) => boolean): Float64Array {
  const out = new Float64Array(offsets.length - 1);
  for (let e = 0; e < out.length; e++) {
    const lo = offsets[e]!;
    const hi = offsets[e + 1]!;
    let r = lo < hi ? values[lo]! : NaN;
    for (let i = lo + 1; i < hi; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) {
        r = NaN;
        break;
      }
      if (better(v, r)) r = v;
    }
    out[e] = r;
  }
  return out;
}
