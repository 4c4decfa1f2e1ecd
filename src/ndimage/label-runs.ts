/**
 * Runs of foreground along the lines of a block (the last axis), for `label` (label.ts): finding
 * them, the list they are kept in, and painting labels back over them.
 *
 * Foreground bits are 0/1 bytes; where they are word-aligned they are read four cells at a
 * time (a run starts or stops where a byte differs from the one before it: `w ^ (w << 8 | prev)`
 * marks those bytes). Loops are branch-free where the mask decides: a noisy mask mispredicts
 * any branch on its cells.
 */

/**
 * Foreground runs of every line, in C order: run r (label r + 1) lies on line[r], over
 * [edges[2r], edges[2r + 1]) along the last axis; lineStart[l] is the first run of line l
 * (lineStart[lines] = count).
 */
export interface LabelRuns {
  line: Int32Array;
  edges: Int32Array;
  lineStart: Int32Array;
  count: number;
}

/** Whether this machine stores the low byte of a word first (the word reads assume it). */
const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The bits as 32-bit words where they start on a word boundary (little-endian machines), else null. */
export function wordsOf(bits: Uint8Array): Uint32Array | null {
  if (!littleEndian || bits.byteOffset % 4 !== 0) return null;
  return new Uint32Array(bits.buffer, bits.byteOffset, bits.length >> 2);
}

/**
 * Writes the edges of the maximal runs of bits[base, base + n) (positions along the line, start
 * and stop alternating) from edges[e] on; returns the index after the last edge. Writes up to
 * one slot past it (room for n + 2 edges from e).
 */
export function lineEdges(bits: Uint8Array, words: Uint32Array | null, base: number, n: number, edges: Int32Array, e: number): number {
  let x = 0;
  let prev = 0;
  if (words !== null) {
    for (const head = Math.min(n, (4 - (base & 3)) & 3); x < head; x++) {
      const v = bits[base + x];
      edges[e] = x;
      e += v ^ prev;
      prev = v;
    }
    for (let w = (base + x) >> 2; x + 4 <= n; x += 4, w++) {
      const word = words[w];
      const changes = word ^ ((word << 8) | prev);
      prev = word >>> 24;
      edges[e] = x;
      e += changes & 1;
      edges[e] = x + 1;
      e += (changes >>> 8) & 1;
      edges[e] = x + 2;
      e += (changes >>> 16) & 1;
      edges[e] = x + 3;
      e += changes >>> 24;
    }
  }
  for (; x < n; x++) {
    const v = bits[base + x];
    edges[e] = x;
    e += v ^ prev;
    prev = v;
  }
  edges[e] = n;
  return e + prev;
}

/** Writes every foreground cell of bits[base, base + n) as a run of its own (structures without the left neighbour); returns the next edge index. */
export function cellEdges(bits: Uint8Array, base: number, n: number, edges: Int32Array, e: number): number {
  for (let x = 0; x < n; x++) {
    if (bits[base + x] === 0) continue;
    edges[e++] = x;
    edges[e++] = x + 1;
  }
  return e;
}

/** The runs found so far, growing by doubling (the first guess is one run per 6 cells, about what fragmented masks give). */
export class RunList {
  line: Int32Array;
  edges: Int32Array;
  count = 0;

  constructor(capacity: number) {
    this.line = new Int32Array(Math.max(capacity, 16));
    this.edges = new Int32Array(2 * Math.max(capacity, 16));
  }

  /** Room for `more` runs (and the one edge slot lineEdges writes past them). */
  reserve(more: number): void {
    if (this.count + more <= this.line.length) return;
    const size = Math.max(this.line.length * 2, this.count + more);
    this.line = grown(this.line, size);
    this.edges = grown(this.edges, 2 * size);
  }

  finish(lineStart: Int32Array): LabelRuns {
    return { line: this.line, edges: this.edges, lineStart, count: this.count };
  }
}

function grown(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/**
 * Writes every cell's final label (the output starts zeroed): table[r] over the r-th run in C
 * order, the runs found again from the bits as `labelRuns` found them — maximal runs when runs
 * join along lines, single cells otherwise.
 */
export function paintCells(bits: Uint8Array, table: Int32Array, lineLength: number, joinAlongLine: boolean, out: Int32Array): void {
  if (!joinAlongLine) {
    paintSingleCells(bits, table, out);
    return;
  }
  const words = wordsOf(bits);
  const edges = new Int32Array(lineLength + 2);
  let run = 0;
  for (let base = 0; base < bits.length; base += lineLength) {
    const stop = lineEdges(bits, words, base, lineLength, edges, 0);
    for (let e = 0; e < stop; e += 2) {
      const value = table[++run];
      // Runs are short in fragmented masks: a plain loop beats a fill call per run.
      for (let p = base + edges[e], end = base + edges[e + 1]; p < end; p++) out[p] = value;
    }
  }
}

/** paintCells for single-cell runs: the run label counts the foreground cells so far (branch-free). */
function paintSingleCells(bits: Uint8Array, table: Int32Array, out: Int32Array): void {
  let run = 0;
  for (let p = 0; p < bits.length; p++) {
    const v = bits[p];
    run += v;
    out[p] = table[run] & -v;
  }
}
