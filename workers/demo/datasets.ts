// The generated demo datasets: what each column holds, in the order the kernel
// (kernels/demo.ts) takes its column pointers, and the analysis the page opens with.
import type { AnalysisDoc, DatasetRef } from '../analysis';
import type { ColumnInfo } from '../store';

export interface DemoDataset {
  name: string;
  description: string;
  /** exported kernel: (seed: f64, row0: f64, n: i32, out: u32* column pointers in `columns` order) */
  kernel: string;
  /** in kernel order; storage as elementBytes() (i64 held as f64, dict/bool as u8) */
  columns: ColumnInfo[];
  defaultRows: number;
}

/** 2016 data-taking eras: integrated luminosity (fb⁻¹, golden JSON) and run range. */
export const ERAS_2016: readonly { name: string; lumi: number; runs: readonly [number, number] }[] = [
  { name: '2016B', lumi: 5.750, runs: [272007, 275376] },
  { name: '2016C', lumi: 2.573, runs: [275657, 276283] },
  { name: '2016D', lumi: 4.242, runs: [276315, 276811] },
  { name: '2016E', lumi: 4.025, runs: [276831, 277420] },
  { name: '2016F', lumi: 3.105, runs: [277772, 278808] },
  { name: '2016G', lumi: 7.576, runs: [278820, 280385] },
  { name: '2016H', lumi: 8.651, runs: [280919, 284044] },
];

const muon = (i: 1 | 2): ColumnInfo[] => {
  const which = i === 1 ? 'leading' : 'subleading';
  return [
    { name: `mu${i}_pt`, type: 'f32', unit: 'GeV', description: `${which} muon transverse momentum` },
    { name: `mu${i}_eta`, type: 'f32', description: `${which} muon pseudorapidity` },
    { name: `mu${i}_phi`, type: 'f32', unit: 'rad', description: `${which} muon azimuth, (-π, π]` },
    { name: `mu${i}_px`, type: 'f32', unit: 'GeV', description: `${which} muon momentum, x` },
    { name: `mu${i}_py`, type: 'f32', unit: 'GeV', description: `${which} muon momentum, y` },
    { name: `mu${i}_pz`, type: 'f32', unit: 'GeV', description: `${which} muon momentum, z (beam axis)` },
    { name: `mu${i}_E`, type: 'f32', unit: 'GeV', description: `${which} muon energy` },
    { name: `mu${i}_charge`, type: 'i32', description: `${which} muon charge, ±1` },
  ];
};

export const DIMUON: DemoDataset = {
  name: 'dimuon',
  description:
    'CMS-like dimuon events: Z→μμ on a Drell–Yan continuum with J/ψ, ψ(2S) and Υ(1S,2S,3S) peaks, smeared muons, ~3% same-sign background.',
  kernel: 'gen_dimuon',
  columns: [
    { name: 'run', type: 'u32', description: 'run number, inside its period’s range' },
    { name: 'event', type: 'i64', description: 'event number (row + 1)' },
    { name: 'period', type: 'dict', dictionary: ERAS_2016.map((e) => e.name), description: 'data-taking era, drawn by luminosity' },
    ...muon(1),
    ...muon(2),
    { name: 'nJet', type: 'i32', description: 'jets recoiling against the dimuon' },
    { name: 'weight', type: 'f32', description: 'event weight: pileup × muon scale factors, mean ≈ 1' },
    { name: 'trigger', type: 'bool', description: 'single-muon trigger: a muon with pT > 24 GeV, |η| < 2.4, 90–96% efficient' },
  ],
  // the page's start: 860 MB of columns, generated in ~1.5-3 s on two workers (a progress bar meanwhile)
  defaultRows: 10_000_000,
};

export const TOY: DemoDataset = {
  name: 'toy',
  description: 'Benchmark table: x, y ~ N(0,1), z ~ Exp(1), k uniform 0–9, cat of 5 strings, weight w in [0.5, 1.5).',
  kernel: 'gen_toy',
  columns: [
    { name: 'x', type: 'f64', description: 'standard normal' },
    { name: 'y', type: 'f64', description: 'standard normal, independent of x' },
    { name: 'z', type: 'f64', description: 'exponential, mean 1' },
    { name: 'k', type: 'i32', description: 'uniform integer 0–9' },
    { name: 'cat', type: 'dict', dictionary: ['alpha', 'beta', 'gamma', 'delta', 'epsilon'], description: 'uniform category' },
    { name: 'w', type: 'f64', description: 'weight, 0.5 + U(0, 1)' },
  ],
  // MEASURED.md's peer table
  defaultRows: 10_000_000,
};

export const DEMO_DATASETS: readonly DemoDataset[] = [DIMUON, TOY];

export function demoDataset(name: string): DemoDataset | undefined {
  return DEMO_DATASETS.find((d) => d.name === name);
}

/** An analysis document over a demo dataset. */
export type DemoAnalysis = AnalysisDoc & { dataset: Extract<DatasetRef, { kind: 'demo' }> };

/** The analysis the page opens with: a Z→μμ selection, every histogram weighted. A fresh copy per call. */
export const defaultAnalysis = (): DemoAnalysis => ({
  version: 1,
  dataset: { kind: 'demo', name: 'dimuon', rows: DIMUON.defaultRows, seed: 1 },
  // the dimuon four-vector, its invariant mass and transverse momentum
  defines: [
    { name: 'E_mumu', expr: 'mu1_E + mu2_E' },
    { name: 'px_mumu', expr: 'mu1_px + mu2_px' },
    { name: 'py_mumu', expr: 'mu1_py + mu2_py' },
    { name: 'pz_mumu', expr: 'mu1_pz + mu2_pz' },
    { name: 'm', expr: 'sqrt(E_mumu*E_mumu - px_mumu*px_mumu - py_mumu*py_mumu - pz_mumu*pz_mumu)' },
    { name: 'pt_mumu', expr: 'hypot(px_mumu, py_mumu)' },
  ],
  filters: [
    { name: 'opposite_sign', expr: 'mu1_charge * mu2_charge < 0' },
    { name: 'trigger', expr: 'trigger' },
    { name: 'muon_pt', expr: 'mu1_pt > 25 && mu2_pt > 20' },
    { name: 'muon_eta', expr: 'abs(mu1_eta) < 2.4 && abs(mu2_eta) < 2.4' },
  ],
  histograms: [
    { name: 'm_Z', x: { expr: 'm', bins: 120, lo: 60, hi: 120 }, weight: 'weight', after: 'muon_eta' },
    { name: 'm_all', x: { expr: 'm', bins: 300, lo: 0, hi: 150 }, weight: 'weight', after: 'opposite_sign' },
    { name: 'mu1_pt', x: { expr: 'mu1_pt', bins: 100, lo: 0, hi: 200 }, weight: 'weight', after: 'muon_eta' },
    { name: 'pt_mumu', x: { expr: 'pt_mumu', bins: 100, lo: 0, hi: 100 }, weight: 'weight', after: 'muon_eta' },
    {
      name: 'eta1_vs_eta2',
      x: { expr: 'mu1_eta', bins: 60, lo: -3, hi: 3 },
      y: { expr: 'mu2_eta', bins: 60, lo: -3, hi: 3 },
      weight: 'weight',
      after: 'muon_pt',
    },
  ],
});
