/**
 * Runs a chain of passes with the TypeScript loops: for every group of lines the cells a pass
 * reads are gathered into a float64 line buffer and the loops of js-kernels.ts store each result
 * straight into the pass's box in the output dtype, converted as C's casts do on x86-64.
 */
import { type DType } from "../ndarray/dtype.js";
import { type NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { type StoreKind, StoreFloat, StoreInt32Range, StoreUint32, runKernelJs } from "./js-kernels.js";
import type { NumericArray } from "./options.js";
import {
  type AxisPass, type PassBox, type PassGeometry, boxShape, forEachPosition, passGeometry,
} from "./pass-geometry.js";

/** Cells of a source: local index i on axis b is global index origin[b] + i. */
interface Source {
  readonly data: NumericArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly origin: readonly number[];
}

let scratchBuffer = new Float64Array(0);

function storeKind(dtype: DType): StoreKind {
  if (dtype === "float32" || dtype === "float64") return StoreFloat;
  return dtype === "uint32" ? StoreUint32 : StoreInt32Range;
}

/** Runs every pass; the last pass writes `result` (C-ordered, the last box's shape). */
export function runJsChain(
  input: NDArray, passes: readonly AxisPass[], boxes: readonly PassBox[], outputDtype: DType, result: NumericArray,
): void {
  let source: Source = {
    data: input.data as NumericArray, shape: input.shape, strides: input.strides, offset: input.offset,
    origin: input.shape.map(() => 0),
  };
  passes.forEach((pass, k) => {
    const box = boxes[k];
    const shape = boxShape(box);
    const target = k === passes.length - 1 ? result : allocate(outputDtype, shapeSize(shape), false) as NumericArray;
    runPass(source, pass, input.shape[pass.axis], box, target, storeKind(outputDtype));
    source = { data: target, shape, strides: cStrides(shape), offset: 0, origin: box.start };
  });
}

function runPass(source: Source, pass: AxisPass, lineLength: number, box: PassBox, target: NumericArray, kind: StoreKind): void {
  const geometry = passGeometry(pass, lineLength, source, box);
  const { axis, filter } = pass;
  const { rows, skip, lanes } = geometry;
  if (scratchBuffer.length < geometry.bufferRows * lanes) scratchBuffer = new Float64Array(geometry.bufferRows * lanes);
  const buffer = scratchBuffer;
  const ndim = box.start.length;
  const last = ndim - 1;
  const targetStrides = cStrides(boxShape(box));
  const outer = [...Array(ndim).keys()].filter((b) => b !== axis && b !== last);
  const tile = { data: target, base: 0, rowStride: targetStrides[axis], kind };
  forEachPosition(outer, box, (position) => {
    let sourceBase = source.offset;
    let targetBase = 0;
    for (const b of outer) {
      sourceBase += (position[b] - source.origin[b]) * source.strides[b];
      targetBase += (position[b] - box.start[b]) * targetStrides[b];
    }
    if (axis === last) {
      gatherLine(source, axis, geometry, sourceBase, pass.cval, buffer);
      tile.base = targetBase;
      runKernelJs(filter, buffer, rows, 1, skip, tile);
      return;
    }
    for (let x0 = box.start[last]; x0 < box.stop[last]; x0 += lanes) {
      const width = Math.min(lanes, box.stop[last] - x0);
      gatherLines(source, axis, geometry, sourceBase + (x0 - source.origin[last]) * source.strides[last], width, pass.cval, buffer);
      tile.base = targetBase + (x0 - box.start[last]);
      runKernelJs(filter, buffer, rows, width, skip, tile);
    }
  });
}

/** One line along the last axis into buffer[0…]. */
function gatherLine(source: Source, axis: number, geometry: PassGeometry, base: number, cval: number, buffer: Float64Array): void {
  const runs = geometry.runs;
  const data = source.data;
  const stride = source.strides[axis];
  for (let k = 0; k < runs.length; k += 4) {
    const row = runs[k];
    const from = runs[k + 1];
    const length = runs[k + 2];
    const step = runs[k + 3] * stride;
    if (from < 0) {
      buffer.fill(cval, row, row + length);
    } else if (step === 1 && length > 8) {
      // step is in elements: 1 also when a mirrored run walks a reversed axis (stride −1).
      const begin = base + from * stride;
      buffer.set(data.subarray(begin, begin + length), row);
    } else if (step === 0) {
      buffer.fill(data[base + from * stride], row, row + length);
    } else {
      let s = base + from * stride;
      for (let i = 0; i < length; i++, s += step) buffer[row + i] = data[s];
    }
  }
}

/** `width` interleaved lines along `axis`, starting at source cell `base`, into buffer[0…]. */
function gatherLines(
  source: Source, axis: number, geometry: PassGeometry, base: number, width: number, cval: number, buffer: Float64Array,
): void {
  const runs = geometry.runs;
  const data = source.data;
  const axisStride = source.strides[axis];
  const laneStride = source.strides[source.strides.length - 1];
  for (let k = 0; k < runs.length; k += 4) {
    const row = runs[k] * width;
    const from = runs[k + 1];
    const length = runs[k + 2];
    const step = runs[k + 3];
    if (from < 0) {
      buffer.fill(cval, row, row + length * width);
    } else if (laneStride === 1 && step === 1 && axisStride === width) {
      const begin = base + from * axisStride;
      buffer.set(data.subarray(begin, begin + length * width), row);
    } else if (laneStride === 1) {
      const first = base + from * axisStride;
      buffer.set(data.subarray(first, first + width), row);
      for (let i = 1; i < length; i++) {
        if (step === 0) {
          buffer.copyWithin(row + i * width, row, row + width);
        } else {
          const begin = base + (from + i * step) * axisStride;
          buffer.set(data.subarray(begin, begin + width), row + i * width);
        }
      }
    } else {
      for (let i = 0; i < length; i++) {
        let s = base + (from + i * step) * axisStride;
        const r = row + i * width;
        for (let t = 0; t < width; t++, s += laneStride) buffer[r + t] = data[s];
      }
    }
  }
}
