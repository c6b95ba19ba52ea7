import type { PageRequest, PageResult, Source, SourceSchema } from '../source';
import type { Batches } from './batches';
import { planColumns, type ArrowPlan } from './columns';
import { asBadFile, badFile } from '../bad-file';
import { checkBuffers, dictionaryPage, stringsPage, writeNumbers } from './values';

/** Batches above this many rows are read in slices, so one page stays a few MB. */
export const SLICE_ROWS = 1 << 20;

interface Slice {
  batch: number;
  start: number;
  end: number;
}

export class ArrowSource implements Source {
  readonly schema: SourceSchema;
  private readonly plans: ArrowPlan[];
  private readonly slices: Slice[] = [];

  constructor(private readonly name: string, private readonly batches: Batches, sliceRows = SLICE_ROWS) {
    const { columns, plans, unsupported } = planColumns(batches.schema, (f, n) => batches.hasNulls(f, n));
    this.plans = plans;
    plans.forEach((p, i) => {
      const dictionary = batches.dictionaryAtOpen(p.field);
      if (dictionary) columns[i] = { ...columns[i]!, dictionary };
    });
    let split = 0;
    batches.rows.forEach((rows, batch) => {
      if (!(rows > 0)) return;
      const parts = Math.ceil(rows / sliceRows);
      if (parts > 1) split++;
      const step = Math.ceil(rows / parts);
      for (let start = 0; start < rows; start += step) this.slices.push({ batch, start, end: Math.min(rows, start + step) });
    });
    const chunkRows = this.slices.map((s) => s.end - s.start);
    this.schema = {
      format: 'arrow',
      rows: chunkRows.reduce((a, b) => a + b, 0),
      chunkRows, columns, jagged: [], unsupported,
      notes: [...batches.notes, ...(split ? [`${split} record batch${split === 1 ? ' is' : 'es are'} larger than ${sliceRows} rows and read in slices`] : [])],
    };
  }

  async read(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]> {
    const slice = this.slices[chunk];
    if (!slice) throw new RangeError(`chunk ${chunk} of ${this.slices.length}`);
    const batch = await this.batches.batch(slice.batch, signal);
    return pages.map((p) => {
      const plan = this.plans[p.column]!;
      const where = `column "${plan.name}", record batch ${slice.batch}`;
      try {
        const vector = batch.getChildAt(plan.field);
        const data = vector?.data[0];
        if (!vector || !data || vector.data.length !== 1 || data.length !== batch.numRows) {
          throw badFile(this.name, `${where}: the column's length does not match the batch's`);
        }
        checkBuffers(data, 'the column');
        if (data.dictionary) for (const d of data.dictionary.data) checkBuffers(d, 'its dictionary');
        const { conversion } = plan;
        if (conversion.kind === 'strings') return stringsPage(vector, data, slice.start, slice.end);
        if (conversion.kind === 'dictionary') return dictionaryPage(data, slice.start, slice.end, this.batches.strings(plan.field, data));
        if (!p.dest) throw new Error(`internal: no destination for column ${plan.name}`);
        const out = writeNumbers(data, conversion, slice.start, slice.end, p.dest, 0);
        if (out.nullInIntegers) return { kind: 'retype', type: 'f64', reason: `${plan.name}: holds nulls; read as f64 (null → NaN)` };
        if (out.lossy) return { kind: 'written', warnings: [`${plan.name}: some values are beyond ±2^53 and were rounded to the nearest f64`] };
        return { kind: 'written' };
      } catch (e) {
        throw asBadFile(e, this.name, `reading ${where}`);
      }
    });
  }

  close(): void {
    this.batches.close();
  }
}
