import { describe, expect, it } from 'vitest';
import { atPath, formatDiagnostic, sortDiagnostics } from './diagnostic';

describe('diagnostics', () => {
  it('format with the path and a caret under the span', () => {
    const d = { path: 'filters[0].expr', message: "unknown column 'pz'", start: 5, end: 7 };
    expect(formatDiagnostic(d, 'px + pz > 1')).toBe("filters[0].expr: unknown column 'pz'\n  px + pz > 1\n       ^^");
    expect(formatDiagnostic(d)).toBe("filters[0].expr: unknown column 'pz'");
    expect(formatDiagnostic({ message: 'the expression ends too early', start: 3, end: 3 }, '1 +')).toBe('the expression ends too early\n  1 +\n     ^');
  });

  it('re-root under a document path and sort by position, stably', () => {
    expect(atPath([{ message: 'm', start: 1 }], 'defines[2].expr')).toEqual([{ path: 'defines[2].expr', message: 'm', start: 1 }]);
    const ds = [{ message: 'c', start: 5 }, { message: 'none' }, { message: 'a', start: 0 }, { message: 'b', start: 5 }];
    expect(sortDiagnostics(ds).map((d) => d.message)).toEqual(['a', 'c', 'b', 'none']);
  });
});
