/** Small helpers shared by the ndimage tests: seeded random arrays, region slicing, option errors. */
import assert from "node:assert/strict";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type DType, dtypeInfo } from "../../src/ndarray/dtype.js";
import { NDArray, cStrides, shapeSize } from "../../src/ndarray/ndarray.js";

/** A deterministic generator in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random values spanning the dtype (floats around 100 ± 100). */
export function randomArray(shape: readonly number[], dtype: DType, random: () => number): NDArray {
  const info = dtypeInfo(dtype);
  const data = new (info.array as Float64ArrayConstructor)(shapeSize(shape));
  const span = info.kind === "f" ? 0 : 2 ** (info.itemsize * 8);
  const low = info.kind === "i" ? -span / 2 : 0;
  for (let i = 0; i < data.length; i++) data[i] = info.kind === "f" ? random() * 200 : Math.floor(low + random() * span);
  return new NDArray(data, shape, { dtype });
}

/** The box [start, stop) of a C-ordered array, as a new C-ordered array. */
export function sliceRegion(array: NDArray, start: readonly number[], stop: readonly number[]): NDArray {
  const shape = start.map((s, axis) => stop[axis] - s);
  const info = dtypeInfo(array.dtype);
  const data = new (info.array as Float64ArrayConstructor)(shapeSize(shape));
  const source = array.data as Float64Array;
  const strides = cStrides(shape);
  for (let i = 0; i < data.length; i++) {
    let at = array.offset;
    for (let axis = 0; axis < shape.length; axis++) {
      const index = Math.floor(i / strides[axis]) % shape[axis];
      at += (start[axis] + index) * array.strides[axis];
    }
    data[i] = source[at];
  }
  return new NDArray(data, shape, { dtype: array.dtype });
}

/** True when both arrays hold the same dtype, shape and bits (NaN equals NaN). */
export function sameBits(a: NDArray, b: NDArray): boolean {
  if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return false;
  const x = sliceRegion(a, a.shape.map(() => 0), a.shape).data as Float64Array;
  const y = sliceRegion(b, b.shape.map(() => 0), b.shape).data as Float64Array;
  return x.every((value, i) => Object.is(value, y[i]));
}

/** A random box inside `shape` (possibly empty, possibly touching the edges). */
export function randomRegion(shape: readonly number[], random: () => number): { start: number[]; stop: number[] } {
  const start: number[] = [];
  const stop: number[] = [];
  for (const n of shape) {
    const a = Math.floor(random() * (n + 1));
    const b = Math.floor(random() * (n + 1));
    start.push(Math.min(a, b));
    stop.push(Math.max(a, b));
  }
  return { start, stop };
}

/** Asserts that `call` throws an InvalidOptionError whose message names `named`. */
export function assertInvalidOption(call: () => unknown, named: string): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof InvalidOptionError, `got ${String(error)}`);
    assert.ok(error.message.includes(named), `message "${error.message}" should name ${named}`);
    return true;
  });
}
