// Column names as every format hands them to the engine: each one non-blank
// and distinct, so every column can be written in an expression. Files may
// carry blank or repeated names (an Arrow field named "", two Parquet columns
// alike after damage); CSV headers get the same rule in csv/dialect.ts.
import type { Source, SourceSchema } from './source';

/** Blanks become `columnN` (N counts from 1), repeats get `_2`, `_3`…; list columns keep theirs and win. */
export function distinctNames(schema: SourceSchema): { names: string[]; renamed: string[] } {
  const used = new Set(schema.jagged.map((j) => j.name));
  const renamed: string[] = [];
  const names = schema.columns.map((c, j) => {
    // a library may hand over a missing name as null (apache-arrow does for a field named "")
    const given = typeof c.name === 'string' ? c.name : '';
    const base = given.trim() === '' ? `column${j + 1}` : given;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    if (name !== c.name) renamed.push(`${JSON.stringify(c.name)} → ${name}`);
    return name;
  });
  return { names, renamed };
}

/** The source with its columns named as `distinctNames` says, and a note when any was renamed. */
export function withDistinctNames(source: Source): Source {
  const { names, renamed } = distinctNames(source.schema);
  if (renamed.length === 0) return source;
  const schema: SourceSchema = {
    ...source.schema,
    columns: source.schema.columns.map((c, j) => ({ ...c, name: names[j]! })),
    notes: [...source.schema.notes, `renamed blank or repeated column names: ${renamed.slice(0, 5).join(', ')}${renamed.length > 5 ? ` and ${renamed.length - 5} more` : ''}`],
  };
  return {
    schema,
    read: (chunk, pages, signal) => source.read(chunk, pages, signal),
    ...(source.readList ? { readList: source.readList.bind(source) } : {}),
    close: () => source.close(),
  };
}
