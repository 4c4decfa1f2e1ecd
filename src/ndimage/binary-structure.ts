/**
 * Structuring elements (scipy.ndimage `generate_binary_structure`, `iterate_structure`).
 * `generateBinaryStructure(rank, c)` is the 3×…×3 box of cells within city-block distance c of
 * the centre (1: faces only, rank: the full box); `iterateStructure` dilates a structure by
 * itself iterations−1 times, which is the structure an iterated erosion or dilation amounts to.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { type Grid, readGrid, readOrigins } from "./footprint.js";

/** A boolean structure of `rank` axes of length 3 (a 0-d true array for rank < 1, as scipy). */
export function generateBinaryStructure(rank: number, connectivity: number): NDArray {
  if (!Number.isInteger(rank)) throw new InvalidOptionError(`rank ${JSON.stringify(rank)} must be an integer`);
  if (typeof connectivity !== "number" || Number.isNaN(connectivity)) {
    throw new InvalidOptionError(`connectivity ${JSON.stringify(connectivity)} must be a number`);
  }
  if (rank < 1) return new NDArray(Uint8Array.of(1), [], { dtype: "bool" });
  const shape = new Array<number>(rank).fill(3);
  const data = allocate("bool", shapeSize(shape)) as Uint8Array;
  const limit = Math.max(connectivity, 1);
  for (let i = 0; i < data.length; i++) {
    let distance = 0;
    for (let rest = i, a = 0; a < rank; a++, rest = Math.floor(rest / 3)) distance += Math.abs((rest % 3) - 1);
    data[i] = distance <= limit ? 1 : 0;
  }
  return new NDArray(data, shape, { dtype: "bool" });
}

export interface IteratedStructure {
  structure: NDArray;
  /** The origins scaled by the iterations (when origins were given). */
  origin?: number[];
}

/**
 * The structure dilated by itself `iterations − 1` times (a copy as bool for iterations < 2);
 * with `origin`, also the origins multiplied by the iterations (scipy then returns a pair).
 */
export function iterateStructure(structure: Grid, iterations: number, origin?: number | readonly number[]): IteratedStructure {
  const { shape, values } = readGrid(structure, "structure");
  if (!Number.isInteger(iterations)) throw new InvalidOptionError(`iterations ${JSON.stringify(iterations)} must be an integer`);
  const bits = Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
  const origins = origin === undefined ? undefined : readOrigins(origin, shape);
  if (iterations < 2) {
    const copy = allocate("bool", bits.length) as Uint8Array;
    copy.set(bits);
    return { structure: new NDArray(copy, shape, { dtype: "bool" }), ...(origins ? { origin: origins } : {}) };
  }
  const extra = iterations - 1;
  const grown = shape.map((n) => n + extra * (n - 1));
  const result = allocate("bool", shapeSize(grown)) as Uint8Array;
  // scipy places the structure at (iterations−1)·⌊n/2⌋ and dilates it iterations−1 times; a
  // dilation adds every offset (index − ⌊n/2⌋) of the structure to every set cell. The grown
  // shape holds every such sum, so nothing is clipped.
  const strides = cStrides(grown);
  const sourceStrides = cStrides(shape);
  const cells: number[][] = [];
  for (let i = 0; i < bits.length; i++) {
    if (bits[i]) cells.push(shape.map((n, a) => Math.floor(i / sourceStrides[a]) % n));
  }
  const offsets = cells.map((cell) => cell.map((c, a) => c - Math.floor(shape[a] / 2)));
  let current = new Set<number>();
  for (const cell of cells) current.add(flatIndex(cell.map((c, a) => c + extra * Math.floor(shape[a] / 2)), strides));
  for (let step = 0; step < extra; step++) {
    const next = new Set<number>();
    for (const flat of current) {
      const at = grown.map((n, a) => Math.floor(flat / strides[a]) % n);
      for (const offset of offsets) {
        const target = at.map((c, a) => c + offset[a]);
        if (target.every((c, a) => c >= 0 && c < grown[a])) next.add(flatIndex(target, strides));
      }
    }
    current = next;
  }
  for (const flat of current) result[flat] = 1;
  return {
    structure: new NDArray(result, grown, { dtype: "bool" }),
    ...(origins ? { origin: origins.map((o) => iterations * o) } : {}),
  };
}

function flatIndex(position: readonly number[], strides: readonly number[]): number {
  let flat = 0;
  for (let a = 0; a < position.length; a++) flat += position[a] * strides[a];
  return flat;
}
