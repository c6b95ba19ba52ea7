// Demo dataset generators: seeded and counter-based — row r depends on (seed, r)
// only — so any worker can generate any row range, bit-identical whatever the
// chunking. `out` is a u32 table of column data pointers in the column order of
// workers/demo/datasets.ts, every one valid. Two rows per v128.
import { draw2, nextRows2, rowBase2, seedKey, u16x2, u52x2, uHi2, uLo2 } from "./rng";
import {
  add, cosTurn, div, gt, k, lt, mad, mul, ones, sel, sinTurn, sqrt, sub, tan2h, vatan2, vcopysign, vexp, vlog,
} from "./demo-math";

// PDG 2024, GeV
const MU_MASS: f64 = 0.1056583755;
const Z_MASS: f64 = 91.1876;
const Z_WIDTH: f64 = 2.4952;
// scales of the continua's 1/(m² + a²) spectra, GeV
const DY_A: f64 = 5;
const QCD_A: f64 = 3;

// ---- stores of rows i (lane 0) and, when `both`, i + 1 (lane 1). `both` is a constant
// after inlining: the loop body has no branch at all (V8's TurboFan duplicates pure
// code into the arms of every branch it feeds, which here multiplied the code tenfold).

// @ts-ignore: decorator
@inline function putF32x(p: usize, i: i32, f: v128, both: bool): void {
  if (both) v128.store64_lane(p + (<usize>i << 2), f, 0);
  else v128.store32_lane(p + (<usize>i << 2), f, 0);
}
/** f64 lanes (already f32-exact, or to be rounded to nearest) into an f32 column. */
// @ts-ignore: decorator
@inline function putF32(p: usize, i: i32, v: v128, both: bool): void {
  putF32x(p, i, f32x4.demote_f64x2_zero(v), both);
}
// @ts-ignore: decorator
@inline function putF64(p: usize, i: i32, v: v128, both: bool): void {
  if (both) v128.store(p + (<usize>i << 3), v);
  else v128.store64_lane(p + (<usize>i << 3), v, 0);
}
/** Integral f64 lanes into an i32 (or u32 below 2^31) column. */
// @ts-ignore: decorator
@inline function putI32(p: usize, i: i32, v: v128, both: bool): void {
  putF32x(p, i, i32x4.trunc_sat_f64x2_s_zero(v), both);
}
/** Integral f64 lanes in 0..255 into a u8 column. */
// @ts-ignore: decorator
@inline function putU8(p: usize, i: i32, v: v128, both: bool): void {
  const t = i32x4.trunc_sat_f64x2_s_zero(v);
  if (both) v128.store16_lane(p + <usize>i, i8x16.shuffle(t, t, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
  else v128.store8_lane(p + <usize>i, t, 0);
}

/** Column slots of gen_dimuon's `out` table (workers/demo/datasets.ts order). */
enum Dimuon {
  run, event, period,
  mu1_pt, mu1_eta, mu1_phi, mu1_px, mu1_py, mu1_pz, mu1_E, mu1_charge,
  mu2_pt, mu2_eta, mu2_phi, mu2_px, mu2_py, mu2_pz, mu2_E, mu2_charge,
  nJet, weight, trigger,
}

/** Data pointer of column slot c. */
// @ts-ignore: decorator
@inline function col(out: usize, c: i32): usize {
  return <usize>load<u32>(out + (<usize>c << 2));
}

// ---- muon helpers

/** Rounds to the nearest f32, kept as f64. */
// @ts-ignore: decorator
@inline function f32r(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/** The smallest f32 not below x (x > 0), in f32 lanes 0 and 1: a stored E never drops under |p|. */
// @ts-ignore: decorator
@inline function f32Up(x: v128): v128 {
  const f = f32x4.demote_f64x2_zero(x);
  const below = f64x2.lt(f64x2.promote_low_f32x4(f), x);
  return i32x4.sub(f, i32x4.shuffle(below, below, 0, 2, 0, 2)); // bits + 1 where rounding went down
}

/** Pseudorapidity asinh(pz / pt) = sign(pz) · log((|p| + |pz|) / pt). */
// @ts-ignore: decorator
@inline function eta(pt: v128, pz: v128): v128 {
  const az = f64x2.abs(pz);
  return vcopysign(vlog(div(add(sqrt(mad(pt, pt, mul(pz, pz))), az), pt)), pz);
}

/** Relative pT resolution: ~0.9% central, ~2% at |eta| 2.4 (cos2 = cos²theta), growing with pT (sagitta). */
// @ts-ignore: decorator
@inline function resolution(pt: v128, cos2: v128): v128 {
  return add(mad(k(0.012), cos2, k(0.009)), mul(k(0.00006), pt));
}

/** Single-muon trigger (pT > 24 GeV, |eta| < 2.4), efficiency by |eta|: barrel, overlap, endcap. */
// @ts-ignore: decorator
@inline function fires(pt: v128, aeta: v128, u: v128): v128 {
  const eff = sel(k(0.96), sel(k(0.93), k(0.9), lt(aeta, k(1.2))), lt(aeta, k(0.9)));
  return v128.and(v128.and(gt(pt, k(24)), lt(aeta, k(2.4))), lt(u, eff));
}

/**
 * CMS-like dimuon events, rows [row0, row0 + n); seed any JS number, row0 an integer < 2^53.
 * Columns (22): run event period mu1_{pt eta phi px py pz E charge} mu2_{...} nJet weight trigger.
 * Draws per row: 0 process, charges, hard flag; 1 mass, cos theta*; 2 pT; 3 rapidity; 4 phi, phi*;
 * 5 smearing; 6 period, run, jets; 7 pileup, trigger.
 */
export function gen_dimuon(seed: f64, row0: f64, n: i32, out: usize): void {
  // The process masses come from t = tan(2h), h uniform in a per-process range inside the kernels' |h| <= π/4.
  // Z: relativistic Breit–Wigner in s = m², s = M² + MΓ·t, truncated to 40 < m < 200 GeV (its tails stay
  // well under the continuum there). see: https://pdg.lbl.gov/2024/reviews/rpp2024-rev-monte-carlo-techniques.pdf (§42.3.2)
  // Continua: m = a·t, so dN/dm ∝ 1/(m² + a²): flat below a, falling as 1/m² above.
  const mg = Z_MASS * Z_WIDTH;
  const zLo = 0.5 * Math.atan((40.0 * 40.0 - Z_MASS * Z_MASS) / mg), zHi = 0.5 * Math.atan((200.0 * 200.0 - Z_MASS * Z_MASS) / mg);
  const dyLo = 0.5 * Math.atan(2.0 / DY_A), dyHi = 0.5 * Math.atan(500.0 / DY_A); // Drell–Yan, 2 to 500 GeV
  const qcdLo = 0.5 * Math.atan(2.0 / QCD_A), qcdHi = 0.5 * Math.atan(300.0 / QCD_A); // QCD, 2 to 300 GeV
  const key = seedKey(seed, 0x64696D756F6E3031); // "dimuon01"
  // Two passes per block of rows (fewer live values, so fewer register spills): the
  // events' muon momenta first, then what derives from the stored momenta.
  for (let b = 0; b < n; b += BLOCK) {
    const end = min(b + BLOCK, n);
    let base = rowBase2(key, <u64>row0 + <u64>b);
    let i = b;
    for (; i + 1 < end; i += 2) { eventRows(out, i, base, zLo, zHi, dyLo, dyHi, qcdLo, qcdHi, true); base = nextRows2(base); }
    if (i < end) eventRows(out, i, base, zLo, zHi, dyLo, dyHi, qcdLo, qcdHi, false);
    base = rowBase2(key, <u64>row0 + <u64>b);
    let event = f64x2.replace_lane(k(row0 + <f64>b + 1), 1, row0 + <f64>b + 2);
    for (i = b; i + 1 < end; i += 2) { muonRows(out, i, base, event, true); base = nextRows2(base); event = add(event, k(2)); }
    if (i < end) muonRows(out, i, base, event, false);
  }
}

const BLOCK = 1024;

// @ts-ignore: decorator
@inline function getF32(p: usize, i: i32, both: bool): v128 {
  return f64x2.promote_low_f32x4(both ? v128.load64_zero(p + (<usize>i << 2)) : v128.load32_zero(p + (<usize>i << 2)));
}

/** Pass 1, rows i and (when `both`) i + 1: muon momenta and charges, mu1 leading; weight; jets. */
// @ts-ignore: decorator
@inline function eventRows(
  out: usize, i: i32, base: v128, zLo: f64, zHi: f64, dyLo: f64, dyHi: f64, qcdLo: f64, qcdHi: f64, both: bool,
): void {
  const mg = Z_MASS * Z_WIDTH;

  // --- process: Z 50%, Drell–Yan 36%, quarkonia 7.7%, QCD 6.3% (b b̄ and fakes: the same-sign source).
  // Every candidate is computed and the process selects.
  const h0 = draw2(base, 0), h1 = draw2(base, 1);
  const uc = uHi2(h0), um = uHi2(h1);
  const isZ = lt(uc, k(0.5)), isDY = lt(uc, k(0.86)), notQCD = lt(uc, k(0.937));
  const hLo = sel(k(zLo), sel(k(dyLo), k(qcdLo), notQCD), isZ), hHi = sel(k(zHi), sel(k(dyHi), k(qcdHi), notQCD), isZ);
  const t = tan2h(mad(um, sub(hHi, hLo), hLo));
  const mZ = sqrt(mad(k(mg), t, k(Z_MASS * Z_MASS))), mC = mul(t, sel(k(DY_A), k(QCD_A), notQCD));
  // J/ψ, ψ(2S), Υ(1S, 2S, 3S): natural widths ≪ resolution; the peaks' width comes from the smearing
  const mOnia = sel(k(3.0969), sel(k(3.6861), sel(k(9.4603), sel(k(10.0233), k(10.3552), lt(uc, k(0.934))),
    lt(uc, k(0.929))), lt(uc, k(0.914))), lt(uc, k(0.91)));
  const m = sel(mZ, sel(mC, sel(mOnia, mC, notQCD), isDY), isZ);
  // a hard tail: recoil against jets
  const isHard = lt(u16x2(h0, 16), sel(k(0.12), sel(k(0.1), sel(k(0.05), k(0.2), notQCD), isDY), isZ));
  const hardScale = sel(k(22), sel(k(22), sel(k(15), k(20), notQCD), isDY), isZ);
  const softScale = sel(k(5.5), sel(k(4), sel(k(3.5), k(8), notQCD), isDY), isZ);

  // --- dimuon system: pT ~ Gamma(2, scale), trapezoidal rapidity, uniform phi
  const h2 = draw2(base, 2), h3 = draw2(base, 3), h4 = draw2(base, 4);
  const pt = mul(sel(hardScale, softScale, isHard), sub(k(0), vlog(mul(sub(k(1), uHi2(h2)), sub(k(1), uLo2(h2))))));
  const y = mad(sel(k(2.0), k(2.4), isZ), mad(k(2), uHi2(h3), k(-1)), mul(k(1.6), mad(k(2), uLo2(h3), k(-1))));
  const Px = mul(pt, cosTurn(uHi2(h4))), Py = mul(pt, sinTurn(uHi2(h4)));
  const mt = sqrt(mad(m, m, mul(pt, pt)));
  const ey = vexp(y), iey = div(k(1), ey);
  const E = mul(mul(k(0.5), mt), add(ey, iey)), Pz = mul(mul(k(0.5), mt), sub(ey, iey));

  // --- jets: geometric count, more with dimuon recoil: P(nJet >= j) = q^j, j <= 12
  const qj = sel(k(0.6), add(k(0.2), div(mul(k(0.3), pt), add(pt, k(20)))), isHard);
  const uj = u16x2(draw2(base, 6), 0);
  const q2 = mul(qj, qj), q3 = mul(q2, qj), q4 = mul(q2, q2), q8 = mul(q4, q4);
  let nj = add(add(ones(lt(uj, qj)), ones(lt(uj, q2))), add(ones(lt(uj, q3)), ones(lt(uj, q4))));
  nj = add(nj, add(add(ones(lt(uj, mul(q4, qj))), ones(lt(uj, mul(q4, q2)))), add(ones(lt(uj, mul(q4, q3))), ones(lt(uj, q8)))));
  nj = add(nj, add(add(ones(lt(uj, mul(q8, qj))), ones(lt(uj, mul(q8, q2)))), add(ones(lt(uj, mul(q8, q3))), ones(lt(uj, mul(q8, q4))))));
  putI32(col(out, Dimuon.nJet), i, nj, both);

  // --- isotropic two-body decay in the rest frame, boosted to the lab
  const ct = mad(k(2), uLo2(h1), k(-1));
  const st = sqrt(mul(sub(k(1), ct), add(k(1), ct)));
  const ps = sqrt(sub(mul(k(0.25), mul(m, m)), k(MU_MASS * MU_MASS)));
  const qx = mul(mul(ps, st), cosTurn(uLo2(h4))), qy = mul(mul(ps, st), sinTurn(uLo2(h4))), qz = mul(ps, ct);
  const f = div(mad(Px, qx, mad(Py, qy, mul(Pz, qz))), mul(m, add(E, m)));
  const fa = add(f, k(0.5)), fb = sub(k(0.5), f);
  let ax = mad(Px, fa, qx), ay = mad(Py, fa, qy), az = mad(Pz, fa, qz);
  let bx = sub(mul(Px, fb), qx), by = sub(mul(Py, fb), qy), bz = sub(mul(Pz, fb), qz);

  // --- detector: scale each 3-momentum by 1 + sigma·g (direction resolution ≪ pT's); Box–Muller g
  const h5 = draw2(base, 5);
  const g = sqrt(mul(k(-2), vlog(sub(k(1), uHi2(h5)))));
  const ga = mul(g, cosTurn(uLo2(h5))), gb = mul(g, sinTurn(uLo2(h5)));
  const ta = mad(ax, ax, mul(ay, ay)), tb = mad(bx, bx, mul(by, by));
  const ca = div(mul(az, az), mad(az, az, ta)), cb = div(mul(bz, bz), mad(bz, bz, tb)); // cos²theta
  const sa = f64x2.pmax(mad(resolution(sqrt(ta), ca), ga, k(1)), k(0.25));
  const sb = f64x2.pmax(mad(resolution(sqrt(tb), cb), gb, k(1)), k(0.25));
  // round to f32 now: every other muon column derives from the stored components
  ax = f32r(mul(ax, sa)); ay = f32r(mul(ay, sa)); az = f32r(mul(az, sa));
  bx = f32r(mul(bx, sb)); by = f32r(mul(by, sb)); bz = f32r(mul(bz, sb));

  // --- weight: pileup reweighting (a bump in the number of interactions) × muon ID scale factors
  const h7 = draw2(base, 7);
  const tp = mad(mul(k(35), add(u16x2(h7, 48), u16x2(h7, 32))), k(0.1), k(-2.7));
  const wPU = add(k(0.3), div(k(1.3), mad(tp, tp, k(1))));
  const sf = mul(mad(k(-0.03), ca, k(0.995)), mad(k(-0.03), cb, k(0.995)));
  putF32(col(out, Dimuon.weight), i, mul(mul(wPU, sf), k(1.128)), both); // 1.128: mean weight 1

  // --- charges: opposite for resonances and Drell–Yan, independent for QCD
  const qa = sel(k(1), k(-1), i64x2.eq(v128.and(h0, i64x2.splat(1)), i64x2.splat(1)));
  const qb = sel(f64x2.neg(qa), sel(k(1), k(-1), i64x2.eq(v128.and(h0, i64x2.splat(2)), i64x2.splat(2))), notQCD);

  // --- mu1 is the leading muon (pT² order is the stored f32 pT's order: rounding is monotonic)
  const sw = gt(mad(bx, bx, mul(by, by)), mad(ax, ax, mul(ay, ay)));
  putF32(col(out, Dimuon.mu1_px), i, sel(bx, ax, sw), both);
  putF32(col(out, Dimuon.mu1_py), i, sel(by, ay, sw), both);
  putF32(col(out, Dimuon.mu1_pz), i, sel(bz, az, sw), both);
  putI32(col(out, Dimuon.mu1_charge), i, sel(qb, qa, sw), both);
  putF32(col(out, Dimuon.mu2_px), i, sel(ax, bx, sw), both);
  putF32(col(out, Dimuon.mu2_py), i, sel(ay, by, sw), both);
  putF32(col(out, Dimuon.mu2_pz), i, sel(az, bz, sw), both);
  putI32(col(out, Dimuon.mu2_charge), i, sel(qa, qb, sw), both);
}

/** Pass 2, rows i and (when `both`) i + 1: pt, eta, phi, E from the stored momenta; trigger; run, event, period. */
// @ts-ignore: decorator
@inline function muonRows(out: usize, i: i32, base: v128, event: v128, both: bool): void {
  const x1 = getF32(col(out, Dimuon.mu1_px), i, both), y1 = getF32(col(out, Dimuon.mu1_py), i, both);
  const z1 = getF32(col(out, Dimuon.mu1_pz), i, both);
  const x2 = getF32(col(out, Dimuon.mu2_px), i, both), y2 = getF32(col(out, Dimuon.mu2_py), i, both);
  const z2 = getF32(col(out, Dimuon.mu2_pz), i, both);
  const pt1e = sqrt(mad(x1, x1, mul(y1, y1))), pt2e = sqrt(mad(x2, x2, mul(y2, y2)));
  const pt1 = f32r(pt1e), pt2 = f32r(pt2e);
  const eta1 = f32r(eta(pt1e, z1)), eta2 = f32r(eta(pt2e, z2));
  const mm = k(MU_MASS * MU_MASS);
  putF32(col(out, Dimuon.mu1_pt), i, pt1, both);
  putF32(col(out, Dimuon.mu1_eta), i, eta1, both);
  putF32(col(out, Dimuon.mu1_phi), i, vatan2(y1, x1), both);
  putF32x(col(out, Dimuon.mu1_E), i, f32Up(sqrt(add(mad(x1, x1, mad(y1, y1, mul(z1, z1))), mm))), both);
  putF32(col(out, Dimuon.mu2_pt), i, pt2, both);
  putF32(col(out, Dimuon.mu2_eta), i, eta2, both);
  putF32(col(out, Dimuon.mu2_phi), i, vatan2(y2, x2), both);
  putF32x(col(out, Dimuon.mu2_E), i, f32Up(sqrt(add(mad(x2, x2, mad(y2, y2, mul(z2, z2))), mm))), both);

  // --- single-muon trigger on either muon, with inefficiency
  const h7 = draw2(base, 7);
  const t1 = fires(pt1, f64x2.abs(eta1), u16x2(h7, 16)), t2 = fires(pt2, f64x2.abs(eta2), u16x2(h7, 0));
  putU8(col(out, Dimuon.trigger), i, ones(v128.or(t1, t2)), both);

  // --- bookkeeping: era by 2016 luminosity (fb⁻¹, golden JSON), run uniform in the era's range
  const h6 = draw2(base, 6);
  const tl = mul(uHi2(h6), k(35.922));
  let era = k(0), lo = k(272007), hi = k(275376), e: v128;
  e = f64x2.ge(tl, k(5.750)); era = add(era, ones(e)); lo = sel(k(275657), lo, e); hi = sel(k(276283), hi, e);
  e = f64x2.ge(tl, k(8.323)); era = add(era, ones(e)); lo = sel(k(276315), lo, e); hi = sel(k(276811), hi, e);
  e = f64x2.ge(tl, k(12.565)); era = add(era, ones(e)); lo = sel(k(276831), lo, e); hi = sel(k(277420), hi, e);
  e = f64x2.ge(tl, k(16.590)); era = add(era, ones(e)); lo = sel(k(277772), lo, e); hi = sel(k(278808), hi, e);
  e = f64x2.ge(tl, k(19.695)); era = add(era, ones(e)); lo = sel(k(278820), lo, e); hi = sel(k(280385), hi, e);
  e = f64x2.ge(tl, k(27.271)); era = add(era, ones(e)); lo = sel(k(280919), lo, e); hi = sel(k(284044), hi, e);
  putI32(col(out, Dimuon.run), i, add(lo, f64x2.floor(mul(u16x2(h6, 16), add(sub(hi, lo), k(1))))), both);
  putF64(col(out, Dimuon.event), i, event, both);
  putU8(col(out, Dimuon.period), i, era, both);
}

/**
 * The benchmark table of MEASURED.md, rows [row0, row0 + n): x, y ~ N(0,1) f64 (Box–Muller pair),
 * z ~ Exp(1) f64, k uniform 0..9 i32, cat uniform 0..4 u8, w = 0.5 + U(0,1) f64.
 */
export function gen_toy(seed: f64, row0: f64, n: i32, out: usize): void {
  let base = rowBase2(seedKey(seed, 0x746F793031303130), <u64>row0); // "toy01010"
  let i = 0;
  for (; i + 1 < n; i += 2) {
    toyRows(out, i, base, true);
    base = nextRows2(base);
  }
  if (i < n) toyRows(out, i, base, false);
}

/** Column slots of gen_toy's `out` table. */
enum Toy { x, y, z, k, cat, w }

// @ts-ignore: decorator
@inline function toyRows(out: usize, i: i32, base: v128, both: bool): void {
  const rad = sqrt(mul(k(-2), vlog(sub(k(1), u52x2(draw2(base, 0))))));
  const u = u52x2(draw2(base, 1));
  putF64(col(out, Toy.x), i, mul(rad, cosTurn(u)), both);
  putF64(col(out, Toy.y), i, mul(rad, sinTurn(u)), both);
  putF64(col(out, Toy.z), i, sub(k(0), vlog(sub(k(1), u52x2(draw2(base, 2))))), both);
  const h3 = draw2(base, 3);
  putI32(col(out, Toy.k), i, f64x2.floor(mul(uHi2(h3), k(10))), both);
  putU8(col(out, Toy.cat), i, f64x2.floor(mul(uLo2(h3), k(5))), both);
  putF64(col(out, Toy.w), i, add(k(0.5), u52x2(draw2(base, 4))), both);
}
