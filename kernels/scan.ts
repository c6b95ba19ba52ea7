/**
 * Reads nbytes at p as fast as the memory allows and returns a checksum (the
 * wrapping sum of its 64-bit words, as f64) so the reads cannot be optimised
 * away: the bandwidth floor any pass over the same columns must pay.
 * nbytes may be any size; the tail is read bytewise.
 */
export function scan_bytes(p: usize, nbytes: i32): f64 {
  let a = i64x2.splat(0), b = a, c = a, d = a;
  let i = 0;
  for (; i + 64 <= nbytes; i += 64) {
    const q = p + <usize>i;
    a = i64x2.add(a, v128.load(q));
    b = i64x2.add(b, v128.load(q, 16));
    c = i64x2.add(c, v128.load(q, 32));
    d = i64x2.add(d, v128.load(q, 48));
  }
  a = i64x2.add(i64x2.add(a, b), i64x2.add(c, d));
  let s: i64 = i64x2.extract_lane(a, 0) + i64x2.extract_lane(a, 1);
  for (; i < nbytes; i++) s += <i64>load<u8>(p + <usize>i);
  return <f64>s;
}
