/**
 * Order statistics of a neighbourhood.
 *
 * `selectRank` is scipy's NI_Select: Hoare-partition quickselect with the first element as the
 * pivot, on the values in footprint order. For values without NaN and without −0 the k-th
 * smallest is one number whatever the method; with NaN (comparisons all false) or ±0 (equal but
 * distinct) the element returned depends on the partition steps, so the rank filters use this
 * exact procedure whenever such values can occur.
 *
 * `SortedWindow` keeps a box neighbourhood sorted while it slides along a line: the box is a run
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
 * A sorted box of `columns` columns of `height` values each. Columns are kept in a ring, sorted;
 * `window` holds all of them merged. Values must not be NaN (the merge relies on a total order).
 */
export class SortedWindow {
  private window: Float64Array;
  private spare: Float64Array;
  private readonly ring: Float64Array;
  private first = 0;

  constructor(readonly columns: number, readonly height: number) {
    this.window = new Float64Array(columns * height);
    this.spare = new Float64Array(columns * height);
    this.ring = new Float64Array(columns * height);
  }

  /** Slot of the ring where the caller writes column c (0 = oldest) before `fill` or `slide`. */
  columnSlot(c: number): number {
    return ((this.first + c) % this.columns) * this.height;
  }

  get columnsBuffer(): Float64Array {
    return this.ring;
  }

  /** Sorts every column written at columnSlot(0…columns−1) and builds the window from them. */
  fill(): void {
    const { ring, window, height } = this;
    for (let c = 0; c < this.columns; c++) sortRun(ring, c * height, height);
    window.set(ring);
    sortRun(window, 0, window.length);
  }

  /**
   * Replaces the oldest column by the one the caller wrote at `enteringSlot()` (unsorted) and
   * keeps the window sorted.
   */
  slide(): void {
    const { ring, height } = this;
    const slot = this.first * height;
    // The oldest column is still in the slot; move it aside before the new one replaces it.
    const leaving = this.spare;
    leaving.set(ring.subarray(slot, slot + height));
    const entering = this.incoming;
    sortRun(entering, 0, height);
    ring.set(entering.subarray(0, height), slot);
    this.first = (this.first + 1) % this.columns;
    this.merge(leaving, entering);
  }

  private incomingBuffer: Float64Array | null = null;

  /** Where the caller writes the entering column before `slide()`. */
  get incoming(): Float64Array {
    this.incomingBuffer ??= new Float64Array(this.height);
    return this.incomingBuffer;
  }

  private merged: Float64Array | null = null;

  private merge(leaving: Float64Array, entering: Float64Array): void {
    const window = this.window;
    const out = (this.merged ??= new Float64Array(window.length));
    const total = window.length;
    const height = this.height;
    let i = 0;
    let j = 0;
    let k = 0;
    let o = 0;
    while (i < total) {
      const w = window[i++];
      if (j < height && w === leaving[j]) {
        j++;
        continue;
      }
      while (k < height && entering[k] < w) out[o++] = entering[k++];
      out[o++] = w;
    }
    while (k < height) out[o++] = entering[k++];
    this.merged = window;
    this.window = out;
  }

  /** The value of rank r in the window. */
  at(rank: number): number {
    return this.window[rank];
  }
}
