// The CSV/TSV format: a streaming reader that indexes the file once at open
// and decodes chunks on demand, in parallel on kernel workers when it can.
// See README.md in this folder for the choices it makes.
import type { SourceFormat } from '../source';
import { NO_DELIMITER, sampleRecords, sniffDelimiter } from './dialect';
import { openCsv } from './open';

export const csvFormat: SourceFormat = {
  id: 'csv',
  extensions: ['csv', 'tsv', 'tab', 'psv', 'txt', 'dat'],
  sniff: looksDelimited,
  open: openCsv,
};

/**
 * CSV has no magic number: say yes only for text (no NUL byte) whose first
 * lines split evenly on one delimiter, so binary formats are never claimed.
 */
function looksDelimited(head: Uint8Array): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const delim = sniffDelimiter(head, start, head.length, false);
  return delim !== NO_DELIMITER && sampleRecords(head, start, head.length, delim, 2, false).length === 2;
}

export { openCsv };
export type { CsvOpenOptions } from './open';
