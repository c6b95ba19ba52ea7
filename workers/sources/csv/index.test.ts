import { describe, expect, test } from 'vitest';
import { csvFormat } from './index';

const enc = (s: string) => new TextEncoder().encode(s);

describe('csvFormat', () => {
  test('extensions and id', () => {
    expect(csvFormat.id).toBe('csv');
    expect(csvFormat.extensions).toEqual(expect.arrayContaining(['csv', 'tsv']));
  });

  test('sniff: evenly delimited text yes; binary, JSON and prose no', () => {
    expect(csvFormat.sniff(enc('a,b,c\n1,2,3\n4,5,6\n'))).toBe(true);
    expect(csvFormat.sniff(enc('\uFEFFa\tb\n1\t2\n'))).toBe(true);
    expect(csvFormat.sniff(new Uint8Array([0x50, 0x41, 0x52, 0x31, 0, 0, 1, 2]))).toBe(false);
    expect(csvFormat.sniff(enc('{"a": 1}\n'))).toBe(false);
    expect(csvFormat.sniff(enc('just one line'))).toBe(false);
    expect(csvFormat.sniff(new Uint8Array(0))).toBe(false);
  });

  test('open goes through the streaming reader', async () => {
    const { memoryReader } = await import('../bytes');
    const src = await csvFormat.open(memoryReader(enc('a\tb\n1\t2\n'), 't.tsv'), {});
    expect(src.schema.format).toBe('tsv');
    expect(src.schema.rows).toBe(1);
  });
});
