import { elementBytes } from '../../workers/store/types';
import { useApp } from '../state/context';
import { fmtBytes, fmtDuration, fmtInt } from '../format';
import { ColumnTable } from './ColumnTable';
import { IngestProgress } from './IngestProgress';
import { OpenControls } from './OpenControls';

/** What is open, how to open something else, and its columns. */
export function DatasetPanel() {
  const dataset = useApp((s) => s.dataset);
  const label = useApp((s) => s.datasetLabel);
  const error = useApp((s) => s.open.error);
  const notice = useApp((s) => s.notice);
  const columnBytes = dataset ? dataset.columns.reduce((n, c) => n + elementBytes(c.type, c.dictionary?.length ?? 0) * dataset.rows, 0) : 0;
  return (
    <section className="panel dataset" aria-labelledby="dataset-heading" data-testid="dataset-panel">
      <h2 id="dataset-heading">Dataset</h2>
      {dataset ? (
        <dl className="facts" data-testid="dataset-facts">
          <div><dt>name</dt><dd data-testid="dataset-name">{label ?? dataset.name}</dd></div>
          <div><dt>format</dt><dd>{dataset.format}</dd></div>
          <div><dt>rows</dt><dd data-testid="dataset-rows" data-rows={dataset.rows}>{fmtInt(dataset.rows)}</dd></div>
          <div><dt>size</dt><dd>{dataset.fileBytes > 0 ? `${fmtBytes(dataset.fileBytes)} file` : `${fmtBytes(columnBytes)} of columns`}</dd></div>
          <div><dt>opened in</dt><dd className="timing">{fmtDuration(dataset.loadMs)}</dd></div>
        </dl>
      ) : <p className="muted">No dataset open yet.</p>}
      {dataset?.notes.map((n, i) => <p key={i} className="note">{n}</p>)}
      <OpenControls />
      <IngestProgress />
      {error && <p className="diag" role="alert" data-testid="open-error">{error}</p>}
      {notice && <p className="note" role="status" data-testid="notice">{notice}</p>}
      <ColumnTable />
    </section>
  );
}
