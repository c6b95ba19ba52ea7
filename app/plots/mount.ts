import type uPlot from 'uplot';

/**
 * Puts a freshly made uPlot in its card: the hover tip over it, its width
 * following the card's, and one cleanup that undoes all of it.
 */
export function mountPlot(u: uPlot, el: HTMLElement, tip: HTMLElement, height: number, onDestroy: () => void): () => void {
  u.over.appendChild(tip);
  const resize = new ResizeObserver(() => {
    const width = Math.max(240, el.clientWidth);
    if (width !== u.width) u.setSize({ width, height });
  });
  resize.observe(el);
  return () => {
    resize.disconnect();
    u.destroy();
    onDestroy();
  };
}
