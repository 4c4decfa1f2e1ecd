/**
 * Order statistics of a neighbourhood.
 *
 * `selectRank` is scipy's NI_Select: Hoare-partition quickselect with the first element as the
 * pivot, on the values in footprint order. For values without NaN and without −0 the k-th
 * smallest is one number whatever the method; with NaN (comparisons all false) or ±0 (equal but
 * distinct) the element returned depends on the partition steps, so the rank filters use this
 * exact procedure whenever such values can occur.
 *
 * `slideWindow` keeps a box neighbourhood sorted while it slides along a line: the box is a run
 * of columns (the cells sharing one last-axis coordinate), each column is sorted once when it
 * enters, and one step is a single merge pass that drops the leaving column and adds the
 * entering one. A step costs O(box + column) comparisons instead of a selection over the box.
 */

/** The element of rank `rank` (0-based) among buffer[0…count), partially reordering the buffer. */
export function selectRank(buffer: Float64Array, count: number, rank: number): number {
  let min = 0;
  let max = count - 1;
  let k = rank;
  while (min !== max) {
    const pivot = buffer[min];
    let i = min - 1;
    let j = max + 1;
    for (;;) {
      do j--; while (buffer[j] > pivot);
      do i++; while (buffer[i] < pivot);
      if (i < j) {
        const t = buffer[i];
        buffer[i] = buffer[j];
        buffer[j] = t;
      } else {
        break;
      }
    }
    const leftSize = j - min + 1;
    if (k < leftSize) {
      max = j;
    } else {
      min = j + 1;
      k -= leftSize;
    }
  }
  return buffer[min];
}

/** Sorts values[from…from+count) ascending (insertion sort: columns are short). */
export function sortRun(values: Float64Array, from: number, count: number): void {
  const end = from + count;
  for (let i = from + 1; i < end; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= from && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}

/**
 * Scratch for `slideWindow`: the merged window (and a second buffer to merge into), the sorted
 * columns in a ring, the entering column (with an +∞ sentinel after it) and the leaving one
 * (with a NaN sentinel, which equals nothing).
 */
export interface SlidingState {
  window: Float64Array;
  merged: Float64Array;
  readonly ring: Float64Array;
  readonly entering: Float64Array;
  readonly leaving: Float64Array;
  /** Ring slot of the oldest column. */
  oldest: number;
}

export function slidingState(columns: number, height: number): SlidingState {
  const size = columns * height;
  const entering = new Float64Array(height + 1);
  entering[height] = Infinity;
  const leaving = new Float64Array(height + 1);
  leaving[height] = Number.NaN;
  return { window: new Float64Array(size), merged: new Float64Array(size), ring: new Float64Array(size), entering, leaving, oldest: 0 };
}

/** Sorts the columns the caller wrote into ring slots 0…columns−1 (oldest first) and merges them into the window. */
export function fillWindow(state: SlidingState, columns: number, height: number): void {
  const { ring, window } = state;
  for (let c = 0; c < columns; c++) sortRun(ring, c * height, height);
  window.set(ring);
  sortRun(window, 0, columns * height);
  state.oldest = 0;
}

/**
 * Replaces the oldest column by `state.entering[0…height)` (unsorted) in one pass: window cells
 * equal to the leaving column's values (in order) are dropped, the sorted entering column is
 * merged in. Values must not be NaN (the merge needs a total order) and equal values must be
 * interchangeable (no ±0 mix), which is why only the fast path uses it.
 */
export function slideWindow(state: SlidingState, columns: number, height: number): void {
  const { ring, entering, leaving } = state;
  const window = state.window;
  const out = state.merged;
  sortRun(entering, 0, height);
  const slot = state.oldest * height;
  for (let r = 0; r < height; r++) leaving[r] = ring[slot + r];
  const total = columns * height;
  let j = 0;
  let k = 0;
  let o = 0;
  let gone = leaving[0];
  let next = entering[0];
  for (let i = 0; i < total; i++) {
    const w = window[i];
    if (w === gone) {
      gone = leaving[++j];
      continue;
    }
    while (next < w) {
      out[o++] = next;
      next = entering[++k];
    }
    out[o++] = w;
  }
  while (k < height) out[o++] = entering[k++];
  for (let r = 0; r < height; r++) ring[slot + r] = entering[r];
  state.oldest = state.oldest + 1 === columns ? 0 : state.oldest + 1;
  state.window = out;
  state.merged = window;
}
