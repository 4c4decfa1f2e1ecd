/**
 * `watershedIft`: scipy.ndimage.watershed_ift, the image-foresting transform from markers over a
 * uint8/uint16 image, as scipy 1.10's NI_WatershedIFT computes it, tie for tie.
 *
 * Every cell gets the label of the marker reached by the path whose largest step |I(p) − I(v)| is
 * smallest. The order decides ties, so it is scipy's exactly: a bucket queue per cost 0…max(I),
 * each a doubly linked list; positive markers are pushed at the front of bucket 0 and negative ones
 * at the back, in C order; a cell is popped from the front of the lowest bucket, and each neighbour
 * (the structure's nonzero offsets in C order) whose cost drops moves to the front of its new bucket
 * (the back where the label it takes is negative). What must stay true for bit-identity:
 * - neighbours are found by adding the flat offset to the flat index and checking only 0 ≤ p < size,
 *   so, as in scipy, a step off one row's end lands on the next row's start;
 * - costs are uint16: with 65535 in a uint16 image, "unreached" (max + 1) wraps to 0 and nothing
 *   propagates — scipy's result, kept;
 * - labels travel as C ints read back from the output array: markers are cut to 32 bits, the
 *   output dtype wraps them, and the sign test that picks front or back reads the wrapped value.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownOptions } from "./option-names.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import type { DType } from "../ndarray/dtype.js";
import { generateBinaryStructure } from "./binary-structure.js";
import { type Grid, readGrid } from "./footprint.js";

export interface WatershedIftOptions {
  /** Which of the 3×…×3 neighbours are joined (default: faces only, generateBinaryStructure(ndim, 1)). */
  structure?: Grid;
  /** The result's dtype, a signed integer (scipy's output array). Default: the markers' dtype. */
  output?: DType;
}

const labelDtypes: readonly DType[] = ["int8", "int16", "int32", "int64"];
/** scipy's WS_MAXDIM. */
const maximumRank = 7;
const none = -1;

/** Labels every cell with the marker whose basin reaches it; see the module comment for the order. */
export function watershedIft(input: NDArray, markers: NDArray, options: WatershedIftOptions = {}): NDArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`watershedIft options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, ["structure", "output"], "watershedIft");
  if (input.dtype !== "uint8" && input.dtype !== "uint16") {
    throw new InvalidOptionError(`watershedIft: input dtype ${input.dtype} is not supported; scipy takes only uint8 and uint16 inputs (cast first)`);
  }
  if (input.ndim === 0 || input.ndim > maximumRank) throw new InvalidOptionError(`watershedIft: input has ${input.ndim} dimensions; 1 to ${maximumRank} are supported`);
  if (input.shape.join() !== markers.shape.join()) {
    throw new InvalidOptionError(`watershedIft: markers shape [${markers.shape.join(", ")}] must equal the input shape [${input.shape.join(", ")}]`);
  }
  if (!labelDtypes.includes(markers.dtype)) throw new InvalidOptionError(`watershedIft: markers dtype ${markers.dtype} must be a signed integer (${labelDtypes.join(", ")}), as scipy`);
  const output = options.output ?? markers.dtype;
  if (!labelDtypes.includes(output)) throw new InvalidOptionError(`watershedIft: output dtype ${String(output)} must be a signed integer (${labelDtypes.join(", ")}), as scipy`);
  const offsets = neighbourOffsets(options.structure, input.shape);
  const image = input.toTypedArray() as Uint8Array | Uint16Array;
  const labels = markerLabels(markers, output);
  flood(image, labels, offsets, markerSigns(markers));
  return labelArray(labels, input.shape, output);
}

/** The flat offsets of the structure's nonzero cells other than the centre, in C order (scipy's nstrides). */
function neighbourOffsets(structure: Grid | undefined, shape: readonly number[]): number[] {
  const ndim = shape.length;
  const grid = readGrid(structure ?? generateBinaryStructure(ndim, 1), "watershedIft structure");
  if (grid.shape.length !== ndim) throw new InvalidOptionError(`watershedIft: structure has ${grid.shape.length} dimensions, the input ${ndim}; they must be equal`);
  if (grid.shape.some((n) => n !== 3)) throw new InvalidOptionError(`watershedIft: structure shape [${grid.shape.join(", ")}] must be 3 along every axis`);
  const strides = cStrides(shape);
  const offsets: number[] = [];
  for (let k = 0; k < grid.values.length; k++) {
    if (grid.values[k] === 0) continue;
    let offset = 0;
    for (let rest = k, a = ndim - 1; a >= 0; a--, rest = Math.floor(rest / 3)) offset += ((rest % 3) - 1) * strides[a];
    // Offsets that come to 0 (the centre, or a flat axis making two steps cancel) reach the cell itself, which is done.
    if (offset !== 0) offsets.push(offset);
  }
  return offsets;
}

/** The markers as C ints (cut to 32 bits): their sign orders bucket 0. */
function markerSigns(markers: NDArray): Int32Array {
  const flat = markers.toTypedArray();
  const signs = new Int32Array(flat.length);
  if (flat instanceof BigInt64Array) for (let i = 0; i < flat.length; i++) signs[i] = Number(BigInt.asIntN(32, flat[i]));
  else for (let i = 0; i < flat.length; i++) signs[i] = (flat[i] as number) | 0;
  return signs;
}

/** The labels as the output array holds them, read back as C ints: wrapped to the output dtype. */
function markerLabels(markers: NDArray, output: DType): Int32Array {
  const labels = markerSigns(markers);
  for (let i = 0; i < labels.length; i++) labels[i] = wrap(labels[i], output);
  return labels;
}

function wrap(label: number, dtype: DType): number {
  if (dtype === "int8") return (label << 24) >> 24;
  if (dtype === "int16") return (label << 16) >> 16;
  return label;
}

/** The propagation: scipy's bucket queue, with links as index arrays (none = −1). */
function flood(image: Uint8Array | Uint16Array, labels: Int32Array, offsets: readonly number[], signs: Int32Array): void {
  const size = image.length;
  let maxval = 0;
  for (let i = 0; i < size; i++) if (image[i] > maxval) maxval = image[i];
  const cost = new Uint16Array(size);
  const done = new Uint8Array(size);
  const next = new Int32Array(size).fill(none);
  const prev = new Int32Array(size).fill(none);
  const first = new Int32Array(maxval + 1).fill(none);
  const last = new Int32Array(maxval + 1).fill(none);
  const pushFront = (bucket: number, p: number): void => {
    next[p] = first[bucket];
    prev[p] = none;
    if (first[bucket] !== none) prev[first[bucket]] = p;
    first[bucket] = p;
    if (last[bucket] === none) last[bucket] = p;
  };
  const pushBack = (bucket: number, p: number): void => {
    prev[p] = last[bucket];
    next[p] = none;
    if (last[bucket] !== none) next[last[bucket]] = p;
    last[bucket] = p;
    if (first[bucket] === none) first[bucket] = p;
  };
  for (let i = 0; i < size; i++) {
    if (signs[i] === 0) {
      cost[i] = maxval + 1; // uint16: wraps to 0 at 65535, as scipy's
      continue;
    }
    cost[i] = 0;
    if (signs[i] > 0 || first[0] === none) pushFront(0, i);
    else pushBack(0, i);
  }
  for (let bucket = 0; bucket <= maxval; bucket++) {
    while (first[bucket] !== none) {
      const v = first[bucket];
      first[bucket] = next[v];
      if (next[v] !== none) prev[next[v]] = none;
      next[v] = none;
      prev[v] = none;
      done[v] = 1;
      const vval = image[v];
      const vcost = cost[v];
      for (const offset of offsets) {
        const p = v + offset;
        if (p < 0 || p >= size || done[p]) continue;
        const step = Math.abs(image[p] - vval);
        const pcost = cost[p];
        const max = vcost > step ? vcost : step;
        if (max >= pcost) continue;
        cost[p] = max;
        const label = labels[v];
        labels[p] = label;
        if (next[p] !== none || prev[p] !== none) {
          const before = prev[p];
          const after = next[p];
          if (first[pcost] === p) first[pcost] = after;
          if (last[pcost] === p) last[pcost] = before;
          if (before !== none) next[before] = after;
          if (after !== none) prev[after] = before;
        }
        if (label < 0) pushBack(max, p);
        else pushFront(max, p);
      }
    }
  }
}

function labelArray(labels: Int32Array, shape: readonly number[], dtype: DType): NDArray {
  const data = allocate(dtype, shapeSize(shape));
  if (data instanceof BigInt64Array) for (let i = 0; i < labels.length; i++) data[i] = BigInt(labels[i]);
  else (data as Int32Array).set(labels);
  return new NDArray(data, shape, { dtype });
}
