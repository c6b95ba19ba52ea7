// The checker catches every way of running a string as code or parsing one as
// HTML, and leaves the look-alikes alone. The samples are assembled from pieces
// so this file does not trip the checker itself.
import { describe, expect, it } from 'vitest';
import { findEval, forbiddenIn } from './lint-no-eval.mjs';

const j = (...parts: string[]) => parts.join('');

describe('lint:no-eval', () => {
  it.each([
    j('ev', 'al("1 + 1")'), j('globalThis.ev', 'al(code)'), j('window["ev', 'al"](code)'),
    j('new Func', 'tion("return 1")'), j('Func', 'tion("a", "return a")()'), j('new AsyncFunc', 'tion("await x")'),
    j('(() => 0).constr', 'uctor("return this")'),
    j('setTim', "eout('alert(1)', 10)"), j('setInt', 'erval("tick()", 5)'), j('setTim', 'eout(`go()`)'),
    j('el.inner', 'HTML = name'), j('el.outer', 'HTML += x'), j('el.insertAdjacent', 'HTML("beforeend", s)'),
    j('<div dangerouslySet', 'InnerHTML={{ __html: s }} />'), j('document.wri', 'te(s)'), j('range.createContextual', 'Fragment(s)'),
  ])('flags %s', (line) => {
    expect(forbiddenIn(line)).not.toEqual([]);
  });

  it.each([
    'await page.$eval("#x", (e) => e.id)', 'page.evaluate(() => 1)', 'isFunction(x)', 'setTimeout(() => run(), 10)',
    'setInterval(tick, 100)', 'el.textContent = name', 'const m = await import(url)', 'x.constructor(a)',
  ])('leaves %s alone', (line) => {
    expect(forbiddenIn(line)).toEqual([]);
  });

  it('the repository is clean', () => {
    expect(findEval()).toEqual([]);
  });
});
