/**
 * scipy.ndimage.binary_fill_holes on chunked arrays. A hole has no bounded reach (a background
 * region is a hole only if no path through the background leads out of the array), so this is
 * not a mapOverlap: the background is labelled across chunks (ta.ndimage.label, with the same
 * structure as its connectivity), the labels on the array's faces where the structure reaches
 * outside are read (a first computation: only the face slabs are gathered), and every block is
 * then filled where it is foreground or background of a label not among them.
 *
 * That is scipy's result (an iterated dilation from a border of 1s into the background) for the
 * structures `label` takes: symmetric, 3 along every axis, with the centre set; origin 0. Others
 * are refused by name. The labels are computed twice (for the faces, then for the blocks):
 * nothing the size of the volume is kept or gathered.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { NDArray } from "../ndarray/ndarray.js";
import { fillHolesBlock } from "../ndimage/fill-holes-block.js";
import { generateBinaryStructure } from "../ndimage/index.js";
import { readGrid, type Grid } from "../ndimage/footprint.js";
import { LazyArray, computeArrays, mapBlocksOf, type ExecuteOptions } from "./array.js";
import { inlineOptionEntries } from "./block-fold.js";
import { BlockwiseExpr } from "./blockwise.js";
import { label } from "./label.js";
import { FromArrayExpr } from "./sources.js";
import { logicalNot } from "./ufuncs.js";

export interface LazyFillHolesOptions extends ExecuteOptions {
  /** A symmetric 3×…×3 structure with its centre set (default: faces only, scipy's default). */
  structure?: Grid;
}

const executeKeys = ["executor", "label", "priority", "resources", "retries", "signal"];

/**
 * Fills the holes of a chunked mask (scipy.ndimage.binary_fill_holes). Resolves to a lazy bool
 * array once the background's labels on the array's faces are known.
 */
export async function binaryFillHoles(mask: LazyArray, options: LazyFillHolesOptions = {}): Promise<LazyArray> {
  if (!(mask instanceof LazyArray)) throw new InvalidOptionError("binaryFillHoles needs a tessera array; for an NDArray use ndimage.binaryFillHoles");
  if (options === null || typeof options !== "object") throw new InvalidOptionError("binaryFillHoles: options must be an object");
  const { structure, ...execute } = options;
  for (const key of Object.keys(execute)) {
    if (key === "origin" || key === "output" || key === "outputRegion") {
      throw new InvalidOptionError(`binaryFillHoles: ${key} is not supported on chunked arrays (origin 0 only; the result is a new bool array)`);
    }
    if (!executeKeys.includes(key)) throw new InvalidOptionError(`binaryFillHoles: unknown option "${key}"; it takes structure, ${executeKeys.join(", ")}`);
  }
  if (mask.ndim === 0) throw new InvalidOptionError("binaryFillHoles needs an array with at least one dimension");
  const grid = readGrid(structure ?? generateBinaryStructure(mask.ndim, 1), "binaryFillHoles structure");
  if (grid.shape.length === mask.ndim && grid.shape.every((n) => n === 3)) {
    const centre = (grid.values.length - 1) / 2;
    if (grid.values[centre] === 0) throw new InvalidOptionError("binaryFillHoles: a structure without its centre is not supported on chunked arrays");
  }
  // label refuses structures that are not symmetric or not 3 along every axis, naming them.
  const [backgroundLabels] = label(logicalNot(mask), structure === undefined ? {} : { structure });
  const faces: LazyArray[] = [];
  for (let axis = 0; axis < mask.ndim; axis++) {
    if (!reachesAlong(grid.values, mask.ndim, axis) || mask.shape[axis] === 0) continue;
    for (const at of new Set([0, mask.shape[axis] - 1])) {
      faces.push(backgroundLabels.get(...Array.from({ length: mask.ndim }, (_, a) => (a === axis ? at : ":"))));
    }
  }
  const seeds = new Set<number>();
  const computed: NDArray[] = faces.length === 0 ? [] : await computeArrays(faces, execute);
  for (const face of computed) for (const value of face.toTypedArray() as Int32Array) if (value > 0) seeds.add(value);
  const seedList = [...seeds].sort((a, b) => a - b);
  if (seedList.length <= inlineOptionEntries) return mapBlocksOf(fillHolesBlock, [mask, backgroundLabels], { dtype: "bool" }, { seeds: seedList });
  return fillFromSharedSeeds(mask, backgroundLabels, seedList);
}

/**
 * Many seeds travel once: a one-block array of them that every block's task reads whole, not a
 * copy inside every task (64 blocks × 100 000 face labels was tens of MB of graph).
 */
function fillFromSharedSeeds(mask: LazyArray, backgroundLabels: LazyArray, seedList: number[]): LazyArray {
  const seedData = new NDArray(Int32Array.from(seedList), [seedList.length], { dtype: "int32" });
  const seedArray = new LazyArray(`fill-holes-seeds-${tokenize(seedList)}`, [seedList.length], [[seedList.length]], "int32", new FromArrayExpr(seedData));
  const axes = mask.shape.map((_, axis) => axis);
  const ref = functionRefOf(fillHolesBlock);
  const args = [{ array: mask, axes }, { array: backgroundLabels, axes }, { array: seedArray, axes: [-1] }];
  const name = `fillHolesBlock-${tokenize(ref, mask.name, backgroundLabels.name, seedArray.name)}`;
  return new LazyArray(name, mask.shape, mask.chunks, "bool", new BlockwiseExpr(ref, args, undefined));
}

/** Whether a 3×…×3 structure has a set cell off the centre along `axis` (then face cells there see outside). */
function reachesAlong(values: Float64Array, ndim: number, axis: number): boolean {
  const stride = 3 ** (ndim - 1 - axis);
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && Math.floor(i / stride) % 3 !== 1) return true;
  return false;
}
