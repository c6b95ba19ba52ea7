// Numbering a page's strings into a dictionary (the column's, or the one a page
// request carries), and applying that numbering to the page's codes.

/**
 * Appends the strings of `strings` that `dict` lacks (index: string → its code,
 * kept in step), and says where each landed: remap[i] is string i's code, and
 * `identity` when every string kept its own number.
 */
export function numberInto(dict: string[], index: Map<string, number>, strings: readonly string[]): { remap: Uint32Array; identity: boolean } {
  const remap = new Uint32Array(strings.length);
  let identity = true;
  strings.forEach((s, i) => {
    let g = index.get(s);
    if (g === undefined) { g = dict.length; dict.push(s); index.set(s, g); }
    remap[i] = g;
    if (g !== i) identity = false;
  });
  return { remap, identity };
}

/** codes[j] = remap[codes[j]], in place (a native copy first, then one lookup a row, beat mapping while copying). */
export function remapInPlace(codes: Uint8Array | Uint16Array | Uint32Array, remap: Uint32Array): void {
  for (let j = 0; j < codes.length; j++) codes[j] = remap[codes[j]!]!;
}
