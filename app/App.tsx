import { useEffect, useState } from 'react';
import { EngineClient } from '../workers/browser/client';
import type { BrowserEngineInfo } from '../workers/browser/api';
import type { DatasetInfo, HistogramResult, RunProgress, RunResult } from '../workers/protocol';
import { defaultAnalysis } from '../workers/demo/datasets';
import { HistogramPlot } from './HistogramPlot';

/** Test and console hook: the live engine and the latest results. */
declare global {
  interface Window {
    sift?: { client: EngineClient; result?: RunResult; partials: number };
  }
}

let started: Promise<EngineClient> | null = null;

function params() {
  const q = new URLSearchParams(location.search);
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  return { rows: num('rows') ?? 10_000_000, workers: num('workers') };
}

const fmt = new Intl.NumberFormat('en');
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '…');

export function App() {
  const [info, setInfo] = useState<BrowserEngineInfo>();
  const [dataset, setDataset] = useState<DatasetInfo>();
  const [phase, setPhase] = useState('starting the engine');
  const [progress, setProgress] = useState<RunProgress>();
  const [hist, setHist] = useState<HistogramResult>();
  const [result, setResult] = useState<RunResult>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const { rows, workers } = params();
    started ??= EngineClient.start(workers ? { workers } : {});
    started
      .then(async (client) => {
        setInfo(client.info);
        window.sift = { client, partials: 0 };
        const doc = defaultAnalysis();
        doc.dataset.rows = rows;
        setPhase('generating the demo dataset');
        setDataset(await client.openDemo(doc.dataset, setProgress));
        setPhase('running the analysis');
        const res = await client.run(doc, {
          onProgress: setProgress,
          onPartial: (r) => {
            window.sift!.partials++;
            setHist(r.histograms[0]);
          },
        });
        window.sift!.result = res;
        setHist(res.histograms[0]);
        setResult(res);
        setProgress({
          gen: res.gen, rowsDone: res.rowsDone, rowsTotal: res.rows, elapsedMs: res.elapsedMs,
          rowsPerSec: (res.rowsDone / res.elapsedMs) * 1000, etaMs: 0,
        });
        setPhase(`done in ${(res.elapsedMs / 1000).toFixed(2)} s`);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const pct = progress && progress.rowsTotal > 0 ? progress.rowsDone / progress.rowsTotal : 0;
  return (
    <main>
      <h1>Sift</h1>
      <div className="status" aria-live="polite">
        <span>workers <b data-testid="workers">{info?.workers ?? '…'}</b></span>
        <span>crossOriginIsolated <b data-testid="isolated">{info ? String(info.crossOriginIsolated) : '…'}</b></span>
        <span>dataset <b>{dataset ? `${dataset.name}, ${fmt.format(dataset.rows)} rows` : '…'}</b></span>
        <span data-testid="phase">{phase}</span>
      </div>
      {info && !info.shared && (
        <div className="banner" role="status">
          This page is not cross-origin isolated, so Sift runs on a single worker without shared memory.
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <progress value={pct} max={1} aria-label="progress" />
      {progress && (
        <div className="status">
          <span>{fmt.format(progress.rowsDone)} / {fmt.format(progress.rowsTotal)} rows</span>
          <span>{fmt.format(Math.round(progress.rowsPerSec / 1e6))} M rows/s</span>
          <span>elapsed {seconds(progress.elapsedMs)}</span>
          <span>ETA {seconds(progress.etaMs)}</span>
        </div>
      )}
      {hist && <HistogramPlot hist={hist} title="Dimuon invariant mass, Z selection (GeV)" />}
      {result && (
        <table aria-label="cut-flow">
          <thead><tr><th>cut</th><th>pass</th><th>efficiency</th></tr></thead>
          <tbody>
            {result.cutflow.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{fmt.format(c.pass)}</td>
                <td>{c.total > 0 ? `${((100 * c.pass) / c.total).toFixed(1)} %` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
