// Order defines so each comes after those it uses, and find the cycles.
// Iterative throughout: a share link may hold a chain of thousands of defines.

/**
 * Strongly connected components of the graph `uses` (node → nodes it uses),
 * by Tarjan's algorithm. A component comes out only after every component it
 * uses, so the concatenation is a valid evaluation order.
 * see: https://en.wikipedia.org/wiki/Tarjan%27s_strongly_connected_components_algorithm
 */
export function components(uses: readonly (readonly number[])[]): number[][] {
  const n = uses.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const enter = (v: number) => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
  };
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    enter(root);
    const work: [node: number, next: number][] = [[root, 0]];
    while (work.length > 0) {
      const top = work[work.length - 1];
      const v = top[0];
      if (top[1] < uses[v].length) {
        const w = uses[v][top[1]++];
        if (index[w] < 0) { enter(w); work.push([w, 0]); }
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1][0];
        low[u] = Math.min(low[u], low[v]);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(w);
        } while (w !== v);
        out.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return out;
}

export interface DefineOrder {
  /** Nodes on no cycle, each after the nodes it uses. */
  order: number[];
  /** One cycle per group of mutually dependent nodes, as a path that ends where it starts: [a, b, a]. */
  cycles: number[][];
  /** Every node on some cycle. */
  cyclic: Set<number>;
}

export function orderDefines(uses: readonly (readonly number[])[]): DefineOrder {
  const order: number[] = [];
  const cycles: number[][] = [];
  const cyclic = new Set<number>();
  for (const comp of components(uses)) {
    const v = comp[0];
    if (comp.length === 1 && !uses[v].includes(v)) { order.push(v); continue; }
    comp.forEach((c) => cyclic.add(c));
    cycles.push(shortestCycle(v, uses, new Set(comp)));
  }
  return { order, cycles, cyclic };
}

/** The shortest path from `start` back to itself inside `within` (breadth-first). */
function shortestCycle(start: number, uses: readonly (readonly number[])[], within: Set<number>): number[] {
  const prev = new Map<number, number>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of uses[v]) {
      if (w === start) {
        const back: number[] = [];
        for (let x = v; x !== start; x = prev.get(x)!) back.push(x);
        return [start, ...back.reverse(), start];
      }
      if (!within.has(w) || prev.has(w)) continue;
      prev.set(w, v);
      queue.push(w);
    }
  }
  return [start, start]; // unreachable for a true cycle
}
