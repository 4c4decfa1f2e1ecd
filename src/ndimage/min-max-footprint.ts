/**
 * Minimum and maximum over a footprint that is not a full box, optionally with a grey structure
 * added to the values (scipy's NI_MinOrMaxFilter). For each point, in footprint order:
 *
 *   res = v₀ (+ s₀)                              a double: the first sum is not cast
 *   tmp = v_k + (input type)s_k                  in the input type (integers wrap, int32 too; float32 rounds)
 *   if tmp < res (minimum; > for maximum): res = tmp
 *
 * so the first cell wins ties, a NaN wins only in the first cell, and with a structure the
 * structure's values are truncated to integers for integer inputs except the first one. Cells
 * outside the array read cval cast to the input type. Erosion passes s = −structure (scipy
 * negates it for the minimum).
 */
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate, shapeSize } from "../ndarray/ndarray.js";
import { type DoubleCast, doubleCast, storeDoubles, storeRuleForValuesOf, storeRuleOf } from "./c-cast.js";
import { compiledRowFold } from "./fold-compiler.js";
import { type Neighborhood, type Source, forEachNeighborhoodLine, rowLength } from "./neighborhood.js";
import type { Backend, BoundaryMode, NumericArray, OutputRegion } from "./options.js";
import { foldKernel, laneKindFor, staging } from "./simd-kernels.js";
import { stagedWalk } from "./staged-lines.js";

export function runMinMaxFootprint(
  input: NDArray, hood: Neighborhood, structure: Float64Array | null, minimum: boolean, mode: BoundaryMode, cval: number,
  outputDtype: DType, region: OutputRegion, backend: Backend,
): NDArray {
  const shape = region.start.map((s, a) => region.stop[a] - s);
  const output = allocate(outputDtype, shapeSize(shape)) as NumericArray;
  const source: Source = { data: input.data as NumericArray, shape: input.shape, strides: input.strides, offset: input.offset };
  const toInput = doubleCast(input.dtype);
  const width = shape[shape.length - 1];
  const results = new Float64Array(width);
  // tmp = v + s is C's integer addition in the input type: an int32 sum wraps (INT32_MIN − 1 is
  // INT32_MAX), where a double converted to int32 would give INT32_MIN. Both terms are integers of
  // the type, so their double sum is exact and `| 0` is that wrap; the narrower types and uint32
  // keep the low bits either way.
  const sumInInputType: DoubleCast = input.dtype === "int32" ? (value) => value | 0 : toInput;
  const castStructure = structure === null ? null : Float64Array.from(structure, (s, k) => (k === 0 ? s : toInput(s)));
  // Without a structure every result is an input cell or cval cast to the input type.
  const rule = castStructure === null ? storeRuleForValuesOf(input.dtype, outputDtype) : storeRuleOf(outputDtype);
  const lanes = castStructure === null ? laneKindFor(input.dtype, backend) : null;
  const staged = lanes === null ? null : stagedWalk(lanes, source, hood, mode, toInput(cval), region);
  if (staged !== null) {
    const kernel = foldKernel(minimum ? "min" : "max", hood, staged.kind);
    staged.run((line) => {
      kernel(line.rowAddresses, staged.outAddress, staged.groups);
      storeDoubles(output, line.outputIndex, staged.out, width, rule);
    });
    return new NDArray(output, shape, { dtype: outputDtype });
  }
  if (lanes !== null && width > 0) {
    const stage = staging(lanes, hood.rows, rowLength(hood, width), width);
    const kernel = foldKernel(minimum ? "min" : "max", hood, lanes);
    forEachNeighborhoodLine(source, hood, mode, toInput(cval), region, (line) => {
      kernel(stage.rowAddresses, stage.outAddress, stage.groups);
      storeDoubles(output, line.outputIndex, stage.out, width, rule);
    }, stage.rows as Array<Float64Array | Float32Array>);
    return new NDArray(output, shape, { dtype: outputDtype });
  }
  const compiled = castStructure === null ? compiledRowFold(minimum ? "min" : "max", hood.rowOf, hood.shift) : null;
  forEachNeighborhoodLine(source, hood, mode, toInput(cval), region, (line) => {
    if (compiled !== null) compiled(line.rows, results, width);
    else foldStructure(hood, line.rows, width, castStructure as Float64Array, minimum, sumInInputType, results);
    storeDoubles(output, line.outputIndex, results, width, rule);
  });
  return new NDArray(output, shape, { dtype: outputDtype });
}

/** With a structure: res = v₀ + s₀ (double), then tmp = (type)(v_k + s_k) with s_k already cast. */
function foldStructure(
  hood: Neighborhood, rows: readonly Float64Array[], width: number, structure: Float64Array, minimum: boolean, toInput: DoubleCast,
  results: Float64Array,
): void {
  const { count, rowOf, shift } = hood;
  const first = rows[rowOf[0]];
  for (let i = 0; i < width; i++) results[i] = first[i + shift[0]] + structure[0];
  for (let k = 1; k < count; k++) {
    const row = rows[rowOf[k]];
    const s = shift[k];
    const add = structure[k];
    for (let i = 0; i < width; i++) {
      const tmp = toInput(row[i + s] + add);
      if (minimum ? tmp < results[i] : tmp > results[i]) results[i] = tmp;
    }
  }
}
