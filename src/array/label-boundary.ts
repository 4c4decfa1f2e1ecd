/**
 * The chunk boundaries of chunked labelling (label.ts): which pairs of blocks can touch, which
 * layer of each block the contact reads, and the task that reduces two such layers to the
 * pairs of labels that touch — so the merge (label-merge.ts) receives label pairs, never faces.
 *
 * Two cells that the structure connects by offset o and that lie in different blocks lie in
 * blocks b and b + δ (counted in non-empty chunks), where δ[i] is o[i] on the axes whose
 * chunk boundary the step crosses and 0 on the others. So every contact is between two blocks
 * one step apart along one or more axes — faces (one axis), edges and corners (several) — and
 * reads, of each block, only the layer next to the other: along each crossed axis the block's
 * last (or first) layer, along the others the whole block. Each unordered pair is taken once:
 * δ's first non-zero component is +1.
 */
import { exportedFunctions } from "../graph/function-travel.js";
import { cStrides } from "../ndarray/ndarray.js";
import { LabelForest } from "../ndimage/label.js";

/** One kind of contact: the step δ from the earlier block to the later, and the offsets across it. */
export interface ContactKind {
  step: number[];
  /** The structure's offsets o with o[i] = δ[i] wherever δ[i] ≠ 0 (from earlier to later cell). */
  offsets: number[][];
}

/** Every step δ (first non-zero +1) that some offset of the structure crosses. */
export function contactKinds(offsets: number[][], ndim: number): ContactKind[] {
  const kinds: ContactKind[] = [];
  const steps: number[][] = [[]];
  for (let a = 0; a < ndim; a++) steps.splice(0, steps.length, ...steps.flatMap((s) => [-1, 0, 1].map((d) => [...s, d])));
  for (const step of steps) {
    const lead = step.find((d) => d !== 0);
    if (lead !== 1) continue;
    const crossing = offsets.filter((o) => step.every((d, a) => d === 0 || o[a] === d));
    if (crossing.length > 0) kinds.push({ step, offsets: crossing });
  }
  return kinds;
}

/**
 * The layer of a block (of `shape`) that a contact of step δ reads, as [start, stop) in block
 * coordinates: along a crossed axis the layer facing the other block (`later`: the block is
 * the later one), along the others the whole block.
 */
export function contactLayer(shape: readonly number[], step: readonly number[], later: boolean): { start: number[]; stop: number[] } {
  const start = shape.map((n, a) => {
    const toward = later ? -step[a] : step[a];
    return toward === 1 ? n - 1 : 0;
  });
  const stop = shape.map((n, a) => (step[a] === 0 || (later ? -step[a] : step[a]) === 1 ? n : 1));
  return { start, stop };
}

export interface BoundarySpec {
  /** The layers' common shape along the uncrossed axes (C order; crossed axes dropped). */
  shape: number[];
  /** The contact's offsets along the uncrossed axes. */
  shifts: number[][];
}

/**
 * The label pairs (earlier block's local label, later block's) that touch across one contact,
 * reduced to a spanning forest: pairs that only repeat what earlier pairs already join are
 * dropped, so at most (labels on the two layers − 1) pairs, interleaved in one Int32Array.
 */
export function touchingLabels(earlier: Int32Array, later: Int32Array, spec: BoundarySpec): Int32Array {
  const { shape } = spec;
  const m = shape.length;
  // Dense ids for the labels met (earlier: +label, later: −label), so the forest is small.
  const forest = new LabelForest(64);
  const idOf = denseIds(earlier, later, () => forest.add());
  const pairs: number[] = [];
  let lastA = 0;
  let lastB = 0;
  const join = (a: number, b: number): void => {
    if (a === lastA && b === lastB) return;
    lastA = a;
    lastB = b;
    const ra = forest.find(idOf(a));
    const rb = forest.find(idOf(-b));
    if (ra === rb) return;
    forest.union(ra, rb);
    pairs.push(a, b);
  };
  if (m === 0) {
    if (earlier[0] !== 0 && later[0] !== 0) join(earlier[0], later[0]);
    return Int32Array.from(pairs);
  }
  const n = shape[m - 1];
  const lineStrides = cStrides(shape.slice(0, m - 1));
  const lines = n === 0 ? 0 : earlier.length / n;
  for (const shift of spec.shifts) {
    const dx = shift[m - 1];
    const from = Math.max(0, -dx);
    const to = Math.min(n, n - dx);
    const position = new Array<number>(m - 1).fill(0);
    for (let line = 0; line < lines; line++) {
      let inside = true;
      let otherLine = 0;
      for (let o = 0; o < m - 1; o++) {
        const c = position[o] + shift[o];
        if (c < 0 || c >= shape[o]) inside = false;
        otherLine += c * lineStrides[o];
      }
      if (inside) {
        const base = line * n;
        const otherBase = otherLine * n + dx;
        for (let x = from; x < to; x++) {
          const a = earlier[base + x];
          const b = later[otherBase + x];
          if (a !== 0 && b !== 0) join(a, b);
        }
      }
      for (let o = m - 2; o >= 0; o--) {
        if (++position[o] < shape[o]) break;
        position[o] = 0;
      }
    }
  }
  return Int32Array.from(pairs);
}

/**
 * The part [start, stop) of a face (of `faceShape`: the block's axes but the face's), C order:
 * what one contact reads of a block.
 */
export function cutFace(values: Int32Array, faceShape: readonly number[], start: readonly number[], stop: readonly number[]): Int32Array {
  const m = faceShape.length;
  const shape = stop.map((s, a) => s - start[a]);
  const out = new Int32Array(shape.reduce((p, n) => p * n, 1));
  if (out.length === 0) return out;
  if (m === 0) {
    out[0] = values[0];
    return out;
  }
  const strides = cStrides(faceShape);
  const n = shape[m - 1];
  const position = new Array<number>(m - 1).fill(0);
  for (let at = 0; at < out.length; at += n) {
    let from = start[m - 1];
    for (let o = 0; o < m - 1; o++) from += (start[o] + position[o]) * strides[o];
    out.set(values.subarray(from, from + n), at);
    for (let o = m - 2; o >= 0; o--) {
      if (++position[o] < shape[o]) break;
      position[o] = 0;
    }
  }
  return out;
}

/**
 * Numbers the labels met on two layers (earlier: +label, later: −label) densely, in the order
 * first asked for: through a table indexed by label when the labels are no larger than the
 * layers' cells (4 bytes a cell at most), else through a Map.
 */
function denseIds(earlier: Int32Array, later: Int32Array, next: () => number): (key: number) => number {
  let largestEarlier = 0;
  let largestLater = 0;
  for (let i = 0; i < earlier.length; i++) if (earlier[i] > largestEarlier) largestEarlier = earlier[i];
  for (let i = 0; i < later.length; i++) if (later[i] > largestLater) largestLater = later[i];
  if (largestEarlier + largestLater + 2 <= earlier.length + later.length) {
    const ids = new Int32Array(largestEarlier + largestLater + 2);
    const zero = largestLater + 1;
    return (key) => ids[zero + key] || (ids[zero + key] = next());
  }
  const ids = new Map<number, number>();
  return (key) => {
    let id = ids.get(key);
    if (id === undefined) {
      id = next();
      ids.set(key, id);
    }
    return id;
  };
}

/** One contact of a diagonal task: where its two layers are among the rims read (rim, part), and its geometry. */
export interface RimContact extends BoundarySpec {
  earlier: number[];
  later: number[];
}

/** The label pairs of several edge and corner contacts (one pair list each), from the blocks' rims. */
export function diagonalLabels(rims: Int32Array[][], contacts: RimContact[]): Int32Array[] {
  return contacts.map((c) => touchingLabels(rims[c.earlier[0]][c.earlier[1]], rims[c.later[0]][c.later[1]], c));
}

/** Where one contact's layer lies among a contacts task's faces: faces[block][face], cut to [start, stop). */
export interface FaceLayer {
  block: number;
  face: number;
  faceShape: number[];
  start: number[];
  stop: number[];
}

/** One contact of a block's contacts task (small blocks, label-contacts.ts). */
export interface FaceContact extends BoundarySpec {
  earlier: FaceLayer;
  later: FaceLayer;
}

/** The label pairs of every contact of a block with its later neighbours (one pair list each), from the blocks' faces. */
export function faceContactLabels(faces: Int32Array[][], contacts: FaceContact[]): Int32Array[] {
  const layer = ({ block, face, faceShape, start, stop }: FaceLayer): Int32Array => cutFace(faces[block][face], faceShape, start, stop);
  return contacts.map((c) => touchingLabels(layer(c.earlier), layer(c.later), c));
}

exportedFunctions(import.meta.url, { touchingLabels, diagonalLabels, faceContactLabels });
