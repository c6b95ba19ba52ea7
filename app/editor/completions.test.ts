import { expect, test } from 'vitest';
import { complete, wordAt } from './completions';

const names = { columns: ['mu1_pt', 'mu1_phi', 'my col'], lists: ['Jet_pt'], defines: ['pt_sum'] };

test('the word at the caret, not inside strings or backticks', () => {
  expect(wordAt('2 * mu1_p', 9)).toEqual({ start: 4, end: 9, word: 'mu1_p' });
  expect(wordAt('TMath::Sq', 9)).toEqual({ start: 0, end: 9, word: 'TMath::Sq' });
  expect(wordAt('a + ', 4)).toBeNull();
  expect(wordAt('period == "20', 13)).toBeNull();
  expect(wordAt('1e5', 3)).toBeNull();
});

test('prefix matches first, columns before defines before functions; odd names quoted', () => {
  expect(complete('mu1_p', names).map((c) => c.label)).toEqual(['mu1_pt', 'mu1_phi']);
  expect(complete('pt', names).map((c) => c.label)).toEqual(['pt_sum', 'mu1_pt', 'Jet_pt']);
  expect(complete('sqr', names)[0]).toEqual({ label: 'sqrt', kind: 'function', insert: 'sqrt(' });
  expect(complete('my', names)[0]).toEqual({ label: 'my col', kind: 'column', insert: '`my col`' });
  expect(complete('pt_s', names, 'pt_sum')).toEqual([]);
});
