import type { ColumnData } from '../engine/Engine';
import { EngineError } from '../engine/errors';

/**
 * A small whole-text CSV/TSV reader for the CLI and tests: header row,
 * delimiter sniffed from the header (`,` `\t` `;` `|`), double-quoted fields,
 * numbers as f64 (empty → NaN), anything else as a dictionary column. The
 * streaming, parallel parser belongs to the data-sources work.
 */
export function parseCsv(text: string, name = 'table'): { rows: number; columns: ColumnData[] } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new EngineError('BadFile', `${name}: the file is empty`);
  const header = lines[0]!;
  const delim = [',', '\t', ';', '|'].reduce((best, d) => (count(header, d) > count(header, best) ? d : best), ',');
  const names = splitRow(header, delim).map((s) => s.trim());
  const cells: string[][] = names.map(() => []);
  for (let i = 1; i < lines.length; i++) {
    const fields = splitRow(lines[i]!, delim);
    if (fields.length !== names.length) {
      throw new EngineError('BadFile', `${name}, line ${i + 1}: expected ${names.length} fields, found ${fields.length}`);
    }
    fields.forEach((f, j) => cells[j]!.push(f));
  }
  const columns = names.map((n, j): ColumnData => {
    const raw = cells[j]!;
    const nums = raw.map((s) => (s.trim() === '' ? NaN : Number(s)));
    if (raw.every((s, i) => s.trim() === '' || !Number.isNaN(nums[i]))) {
      return { info: { name: n, type: 'f64' }, values: Float64Array.from(nums) };
    }
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const codes = raw.map((s) => {
      let c = index.get(s);
      if (c === undefined) { c = dictionary.length; dictionary.push(s); index.set(s, c); }
      return c;
    });
    return { info: { name: n, type: 'dict', dictionary }, values: codes };
  });
  return { rows: lines.length - 1, columns };
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

function splitRow(line: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}
