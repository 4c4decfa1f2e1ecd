/**
 * NumPy 1.24's default argsort (kind "quicksort": introsort, npysort/quicksort.cpp aquicksort_
 * with its heapsort fallback), step for step, for code that must reproduce which of several
 * equal values NumPy puts first: this sort is not stable, and Dask's merge of percentiles reads
 * cumulative weights in that order. Values compare as NumPy's: ascending, NaN last.
 */

// NumPy's SMALL_QUICKSORT (npysort/quicksort.cpp): a run of more than 16 (pr − pl > 15) is partitioned, a shorter one insertion-sorted.
const smallQuicksort = 15;

function less(a: number | bigint, b: number | bigint): boolean {
  // NumPy's float less: a < b, or b is NaN and a is not.
  return a < b || (b !== b && a === a);
}

function heapsortIndices(v: ArrayLike<number | bigint>, order: Int32Array | number[], start: number, count: number): void {
  // One-based indexing into order[start …], as NumPy's aheapsort_.
  const a = (i: number) => order[start + i - 1];
  const set = (i: number, value: number) => (order[start + i - 1] = value);
  let n = count;
  for (let l = n >> 1; l > 0; --l) {
    const tmp = a(l);
    let i = l;
    for (let j = l << 1; j <= n;) {
      if (j < n && less(v[a(j)], v[a(j + 1)])) j += 1;
      if (less(v[tmp], v[a(j)])) {
        set(i, a(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  }
  while (n > 1) {
    const tmp = a(n);
    set(n, a(1));
    n -= 1;
    let i = 1;
    for (let j = 2; j <= n;) {
      if (j < n && less(v[a(j)], v[a(j + 1)])) j++;
      if (less(v[tmp], v[a(j)])) {
        set(i, a(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  }
}

/** np.argsort(values) (default kind) as an array of indices. */
export function numpyArgsort(v: ArrayLike<number | bigint>): number[] {
  const num = v.length;
  const order = Array.from({ length: num }, (_, i) => i);
  if (num < 2) return order;
  const swap = (i: number, j: number) => {
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = num - 1;
  let cdepth = 2 * Math.floor(Math.log2(num));
  for (;;) {
    if (cdepth < 0) {
      heapsortIndices(v, order, pl, pr - pl + 1);
    } else {
      while (pr - pl > smallQuicksort) {
        const pm = pl + ((pr - pl) >> 1);
        if (less(v[order[pm]], v[order[pl]])) swap(pm, pl);
        if (less(v[order[pr]], v[order[pm]])) swap(pr, pm);
        if (less(v[order[pm]], v[order[pl]])) swap(pm, pl);
        const vp = v[order[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi; while (less(v[order[pi]], vp));
          do --pj; while (less(vp, v[order[pj]]));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // The larger partition waits on the stack.
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = order[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && less(vp, v[order[pj - 1]])) {
          order[pj] = order[pj - 1];
          pj--;
        }
        order[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    cdepth = depths.pop() as number;
  }
  return order;
}
