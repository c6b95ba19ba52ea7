import { useState } from 'react';
import { useApp } from '../state/context';
import { buildDoc } from '../state/model';
import { download } from '../plots/export';
import { EXPORTS, exportText, type ExportKind } from './exports';

/**
 * The analysis as it runs (cuts switched off left out), for other engines:
 * SQL, RDataFrame, or the document. Download or copy; a document that can't
 * be exported says why and changes nothing.
 */
export function ExportMenu() {
  const model = useApp((s) => s.model);
  const datasetRef = useApp((s) => s.datasetRef);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();

  const text = (kind: ExportKind): string | undefined => {
    if (!datasetRef) { setMessage({ text: 'open a dataset first', error: true }); return undefined; }
    try {
      return exportText(buildDoc(model, datasetRef, 'run').doc, kind);
    } catch (e) {
      setMessage({ text: `can't export: ${(e as Error).message}`, error: true });
      return undefined;
    }
  };
  const save = (kind: ExportKind) => {
    const spec = EXPORTS.find((x) => x.kind === kind)!;
    const t = text(kind);
    if (t === undefined) return;
    download(new Blob([t], { type: spec.type }), spec.filename);
    setMessage({ text: `saved ${spec.filename}`, error: false });
  };
  const copy = async (kind: ExportKind) => {
    const t = text(kind);
    if (t === undefined) return;
    try {
      await navigator.clipboard.writeText(t);
      setMessage({ text: `copied ${EXPORTS.find((x) => x.kind === kind)!.label}`, error: false });
    } catch {
      setMessage({ text: 'the browser refused the clipboard; use Download', error: true });
    }
  };

  return (
    <details className="export-menu" data-testid="export-menu">
      <summary>Export</summary>
      <ul>
        {EXPORTS.map((x) => (
          <li key={x.kind}>
            <span>{x.label}</span>
            <button type="button" onClick={() => save(x.kind)} data-testid={`export-analysis-${x.kind}`}>Download</button>
            <button type="button" onClick={() => void copy(x.kind)} data-testid={`export-analysis-copy-${x.kind}`}>Copy</button>
          </li>
        ))}
      </ul>
      {message && <p className={message.error ? 'diag' : 'muted'} role="status" data-testid="export-analysis-message">{message.text}</p>}
    </details>
  );
}
