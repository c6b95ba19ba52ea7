import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from './suggest';

describe('editDistance', () => {
  it.each([
    ['', '', 0], ['abc', '', 3], ['', 'ab', 2], ['abc', 'abc', 0], ['abc', 'abd', 1], ['abc', 'ab', 1],
    ['ab', 'ba', 1], ['pxt', 'ptx', 1], ['kitten', 'sitting', 3], ['ca', 'abc', 3],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('suggest', () => {
  const names = ['px1', 'py1', 'pt', 'eta', 'muon_pt', 'Energy'];
  it('finds the closest known name', () => {
    expect(suggest('pz1', names)).toBe('px1');
    expect(suggest('etaa', names)).toBe('eta');
    expect(suggest('muon_tp', names)).toBe('muon_pt');
  });

  it('prefers a case-only difference', () => {
    expect(suggest('energy', names)).toBe('Energy');
    expect(suggest('PT', ['pt', 'PX'])).toBe('pt');
  });

  it('breaks ties by exact-case distance, then by order', () => {
    expect(suggest('Pa', ['pb', 'Pc'])).toBe('Pc');
    expect(suggest('xa', ['xb', 'xc'])).toBe('xb');
  });

  it('stays silent when nothing is reasonably close', () => {
    expect(suggest('x', ['y', 'z'])).toBeUndefined();
    expect(suggest('foo', ['bar', 'baz'])).toBeUndefined();
    expect(suggest('momentum', ['eta', 'phi'])).toBeUndefined();
    expect(suggest('pt', ['pt'])).toBeUndefined();
  });
});
