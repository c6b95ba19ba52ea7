import { useEffect, useId, useRef, useState } from 'react';
import { DEMO_DATASETS } from '../../workers/demo/datasets';
import { useApp, useSession } from '../state/context';

const ACCEPT = '.csv,.tsv,.tab,.txt,.parquet,.pq,.arrow,.feather,.ipc,.root';

/** Open a file (picker or drop anywhere), a URL, or a generated demo. */
export function OpenControls() {
  const session = useSession();
  const busy = useApp((s) => s.open.busy);
  const ref = useApp((s) => s.datasetRef);
  const file = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState('');
  const [demo, setDemo] = useState(ref?.kind === 'demo' ? ref.name : 'dimuon');
  const [rows, setRows] = useState(ref?.kind === 'demo' ? String(ref.rows) : String(DEMO_DATASETS[0]!.defaultRows));
  const uid = useId();
  // follows the open demo (the first one arrives after this mounts)
  useEffect(() => {
    if (ref?.kind !== 'demo') return;
    setDemo(ref.name);
    setRows(String(ref.rows));
  }, [ref]);
  const rowsOk = /^\d+$/.test(rows.trim()) && Number(rows) > 0;
  return (
    <div className="open-controls">
      <div className="row">
        <button type="button" className="primary" onClick={() => file.current?.click()} disabled={busy} data-testid="open-file">Open file…</button>
        <input ref={file} type="file" accept={ACCEPT} hidden data-testid="file-input" aria-label="open a data file"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void session.openFile(f); }} />
        <span className="muted">or drop one anywhere · CSV, TSV, Parquet, Arrow, ROOT</span>
      </div>
      <form className="row" aria-label="open a URL" onSubmit={(e) => { e.preventDefault(); if (url.trim()) void session.openUrl(url); }}>
        <input type="url" inputMode="url" placeholder="https://…/events.parquet" value={url} onChange={(e) => setUrl(e.target.value)} aria-label="dataset URL" data-testid="url-input" />
        <button type="submit" disabled={busy || url.trim() === ''} data-testid="open-url">Open URL</button>
      </form>
      <form className="row" aria-label="open a demo dataset" onSubmit={(e) => { e.preventDefault(); if (rowsOk) void session.openDemo(demo, Number(rows)); }}>
        <label htmlFor={`${uid}-demo`}>demo</label>
        <select id={`${uid}-demo`} value={demo} onChange={(e) => setDemo(e.target.value)} data-testid="demo-select">
          {DEMO_DATASETS.map((d) => <option key={d.name} value={d.name} title={d.description}>{d.name}</option>)}
        </select>
        <label htmlFor={`${uid}-rows`}>rows</label>
        <input id={`${uid}-rows`} className="rows" type="text" inputMode="numeric" value={rows} onChange={(e) => setRows(e.target.value)}
          aria-invalid={rowsOk ? undefined : true} data-testid="demo-rows" />
        <button type="submit" disabled={busy || !rowsOk} data-testid="open-demo">Generate</button>
      </form>
    </div>
  );
}
