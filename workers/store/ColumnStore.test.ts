// The store's accounting of string dictionaries: they live in the JS heap, outside
// the shared memory, so they are estimated from their entries and reported apart.
import { describe, expect, it } from 'vitest';
import { Allocator } from './Allocator';
import { ColumnStore } from './ColumnStore';

const memory = () => new WebAssembly.Memory({ initial: 2, maximum: 1024, shared: true });

describe('ColumnStore.stats: dictionaries', () => {
  it('estimates each dictionary from its entries (a byte a Latin-1 character, two otherwise, 48 an entry), and counts entries appended later', () => {
    const store = new ColumnStore(new Allocator(memory()), 1 << 30);
    const ds = store.createLazy('t', [10], [
      { name: 'x', type: 'f64' },
      { name: 'cat', type: 'dict', dictionary: ['alpha', '', 'é'] },
    ]);
    let s = store.stats();
    expect(s.columns.map((c) => c.dictionaryBytes)).toEqual([0, 3 * 48 + 5 + 0 + 1]);
    expect(s.dictionaryBytes).toBe(3 * 48 + 6);
    // the decoders append to the column's dictionary as pages decode
    ds.column('cat')!.info.dictionary!.push('αβγ', 'z');
    s = store.stats();
    expect(s.dictionaryBytes).toBe(5 * 48 + 6 + 6 + 1);
    expect(s.columnBytes).toBe(0);
  });
});
