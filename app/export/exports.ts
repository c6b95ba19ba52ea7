// The analysis in the forms the Export menu offers: SQL, RDataFrame Python
// (local or on Dask) and the analysis document itself.
import type { AnalysisDoc } from '../../workers/analysis';
import { exportSql } from '../../workers/export/sql';
import { exportRdf } from '../../workers/export/rdf';

export type ExportKind = 'sql' | 'rdf' | 'rdf-dask' | 'json';

export const EXPORTS: { kind: ExportKind; label: string; filename: string; type: string }[] = [
  { kind: 'sql', label: 'SQL (DuckDB)', filename: 'analysis.sql', type: 'application/sql' },
  { kind: 'rdf', label: 'RDataFrame (Python)', filename: 'analysis_rdf.py', type: 'text/x-python' },
  { kind: 'rdf-dask', label: 'RDataFrame on Dask', filename: 'analysis_rdf_dask.py', type: 'text/x-python' },
  { kind: 'json', label: 'Analysis JSON', filename: 'analysis.json', type: 'application/json' },
];

/** The text of one export; throws an Error with a message for the user when the analysis can't be exported. */
export function exportText(doc: AnalysisDoc, kind: ExportKind): string {
  switch (kind) {
    case 'sql': return exportSql(doc).text;
    case 'rdf': return exportRdf(doc);
    case 'rdf-dask': return exportRdf(doc, { dask: true });
    case 'json': return JSON.stringify(doc, null, 2) + '\n';
  }
}
