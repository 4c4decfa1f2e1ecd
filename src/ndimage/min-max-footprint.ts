/**
 * Minimum and maximum over a footprint that is not a full box, optionally with a grey structure
 * added to the values (scipy's NI_MinOrMaxFilter). For each point, in footprint order:
 *
 *   res = v₀ (+ s₀)                              a double: the first sum is not cast
 *   tmp = v_k + (input type)s_k                  in the input type (integers wrap, float32 rounds)
 *   if tmp < res (minimum; > for maximum): res = tmp
 *
 * so the first cell wins ties, a NaN wins only in the first cell, and with a structure the
 * structure's values are truncated to integers for integer inputs except the first one. Cells outside the array read cval cast to the input type.
 * Erosion passes s = −structure (scipy negates it for the minimum).
 */
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate, shapeSize } from "../ndarray/ndarray.js";
import { type DoubleCast, doubleCast, storeDoubles, storeRuleOf } from "./c-cast.js";
import { type Neighborhood, type NeighborhoodLine, type Source, forEachNeighborhoodLine, gatherNeighborhood } from "./neighborhood.js";
import type { BoundaryMode, NumericArray, OutputRegion } from "./options.js";

export function runMinMaxFootprint(
  input: NDArray, hood: Neighborhood, structure: Float64Array | null, minimum: boolean, mode: BoundaryMode, cval: number,
  outputDtype: DType, region: OutputRegion,
): NDArray {
  const shape = region.start.map((s, a) => region.stop[a] - s);
  const output = allocate(outputDtype, shapeSize(shape)) as NumericArray;
  const source: Source = { data: input.data as NumericArray, shape: input.shape, strides: input.strides, offset: input.offset };
  const toInput = doubleCast(input.dtype);
  const cvalInInputType = toInput(cval);
  const width = shape[shape.length - 1];
  const results = new Float64Array(width);
  const values = new Float64Array(hood.count);
  const rule = storeRuleOf(outputDtype);
  const last = input.ndim - 1;
  const stride = input.strides[last];
  const x0 = region.start[last];
  const stop = region.stop[last];
  const slow = (line: NeighborhoodLine, from: number, to: number): void => {
    for (let x = from; x < to; x++) {
      gatherNeighborhood(source, hood, mode, line, x, cvalInInputType, values);
      results[x - x0] = foldValues(values, hood.count, structure, minimum, toInput);
    }
  };
  forEachNeighborhoodLine(source, hood, mode, region, (line) => {
    const fastStart = line.rowsInside ? line.interiorStart : stop;
    const fastStop = line.rowsInside ? line.interiorStop : stop;
    slow(line, x0, fastStart);
    if (structure === null) foldInteriorPlain(source.data, line.starts, hood.count, stride, fastStart, fastStop, minimum, results, x0);
    else slow(line, fastStart, fastStop);
    slow(line, fastStop, stop);
    storeDoubles(output, line.outputIndex, results, width, rule);
  });
  return new NDArray(output, shape, { dtype: outputDtype });
}

function foldValues(values: Float64Array, count: number, structure: Float64Array | null, minimum: boolean, toInput: DoubleCast): number {
  if (structure === null) {
    let res = values[0];
    if (minimum) {
      for (let k = 1; k < count; k++) if (values[k] < res) res = values[k];
    } else {
      for (let k = 1; k < count; k++) if (values[k] > res) res = values[k];
    }
    return res;
  }
  let res = values[0] + structure[0];
  for (let k = 1; k < count; k++) {
    const tmp = toInput(values[k] + toInput(structure[k]));
    if (minimum ? tmp < res : tmp > res) res = tmp;
  }
  return res;
}

/** The plain fold for points whose whole footprint lies inside: direct reads, no gathering. */
function foldInteriorPlain(
  data: NumericArray, starts: Float64Array, count: number, stride: number, from: number, to: number, minimum: boolean,
  results: Float64Array, x0: number,
): void {
  for (let x = from; x < to; x++) {
    const shift = x * stride;
    let res = data[starts[0] + shift];
    if (minimum) {
      for (let k = 1; k < count; k++) {
        const v = data[starts[k] + shift];
        if (v < res) res = v;
      }
    } else {
      for (let k = 1; k < count; k++) {
        const v = data[starts[k] + shift];
        if (v > res) res = v;
      }
    }
    results[x - x0] = res;
  }
}
