/**
 * NDArray: the eager block every kernel, codec and transfer works on. It is a view
 * `{data, shape, strides, offset, dtype}` over a TypedArray, with strides counted in
 * elements (not bytes), like zarrita's chunk `{data, shape, stride}` so Zarr chunks pass
 * through without conversion.
 *
 * Buffers are allocated as SharedArrayBuffer by default: a block made on a compute thread
 * is visible to the worker's main thread and to other compute threads without a copy,
 * which is what lets a worker hand chunks between threads and sockets zero-copy.
 *
 * Each method refuses arguments beyond its own, in one comparison of `arguments.length`
 * (method-parameters.ts says why not a wrapper).
 */
/* eslint-disable prefer-rest-params -- the count check reads arguments.length, which allocates nothing; a rest parameter would, on every call */
import { constants as bufferConstants } from "node:buffer";
import { InvalidOptionError } from "../core/errors.js";
import { formatBytes } from "../core/units.js";
import { type DType, type TypedArray, dtypeInfo, dtypeOfTypedArray, isBigIntDType } from "./dtype.js";
import { refuseComplexStorage } from "./complex-refusal.js";
import { runElementwise } from "./kernel-compiler.js";
import { newSharedBuffer } from "./allocation-ledger.js";
import { refuseNDArrayArguments } from "./method-parameters.js";

export type Shape = readonly number[];

/** A complex element as `toArray()` / `item()` give it (NumPy's Python complex). */
export interface ComplexValue {
  readonly re: number;
  readonly im: number;
}

/** What `toArray()` returns: nested JS arrays of numbers, bigints (int64/uint64), booleans or ComplexValues. */
export type NestedArray = number | bigint | boolean | ComplexValue | NestedArray[];

/** Row-major (C order) strides in elements. */
export function cStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const n of shape) size *= n;
  return size;
}

export function validateShape(shape: Shape, what = "shape"): void {
  for (const n of shape) {
    if (!Number.isInteger(n) || n < 0) {
      throw new InvalidOptionError(`${what}: [${shape.join(", ")}] must hold non-negative integers`);
    }
  }
}

/**
 * The most elements one block can hold: the length limit of a TypedArray in this Node
 * (2^32 in Node 20). Sizes are checked against it before allocating, because V8 reports some
 * impossible sizes with a fatal abort rather than an exception.
 */
export const maxBlockElements: number = bufferConstants.MAX_LENGTH;

/** Refuses a block shape whose element count cannot be one TypedArray, naming what to do. */
export function checkBlockSize(shape: Shape, dtype: DType, what: string): void {
  const size = shapeSize(shape);
  if (size > maxBlockElements || !Number.isSafeInteger(size)) {
    throw new InvalidOptionError(
      `${what}: shape [${shape.join(", ")}] has ${size} elements of ${dtype}; one in-memory block holds at most ` +
        `${maxBlockElements} elements (the TypedArray limit). Use the lazy tessera/array with chunks to work on it block by block`,
    );
  }
}

/** Allocates zeroed storage for `size` elements of `dtype`, shared between threads. */
export function allocate(dtype: DType, size: number, shared = true): TypedArray {
  const info = dtypeInfo(dtype);
  if (!Number.isSafeInteger(size) || size < 0 || size > maxBlockElements) {
    throw new InvalidOptionError(
      `cannot allocate ${size} elements of ${dtype}: one in-memory block holds 0 to ${maxBlockElements} elements (the TypedArray limit); ` +
        `use the lazy tessera/array with chunks for larger data`,
    );
  }
  const bytes = size * info.itemsize;
  const slots = size * info.lanes;
  let buffer: ArrayBufferLike;
  try {
    buffer = shared ? newSharedBuffer(bytes) : new ArrayBuffer(bytes);
  } catch (error) {
    throw new RangeError(`cannot allocate ${formatBytes(bytes)} for ${size} elements of ${dtype} (${(error as Error).message}): the process is out of memory; use smaller blocks`, { cause: error });
  }
  // Every constructor in the table takes (buffer, byteOffset, length); the union hides that.
  return new (info.array as Float64ArrayConstructor)(buffer as ArrayBuffer, 0, slots) as TypedArray;
}

export class NDArray {
  /**
   * The TypedArray behind the array. For complex64 / complex128 it holds interleaved (re, im)
   * pairs and element e sits at storage[2e], storage[2e + 1]: offset and strides count
   * elements, never storage slots. Only complex-aware code reads it (complex*.ts, fft*.ts,
   * codecs, transfer); every other kernel reads `data`, which refuses complex arrays.
   */
  readonly storage: TypedArray;
  private readonly lanes: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;

  constructor(data: TypedArray, shape: Shape, options: { strides?: Shape; offset?: number; dtype?: DType } = {}) {
    validateShape(shape);
    // for…in rather than Object.keys: every view goes through here, and the loop allocates nothing.
    for (const key in options) {
      if ((options as Record<string, unknown>)[key] !== undefined && key !== "strides" && key !== "offset" && key !== "dtype") {
        throw new InvalidOptionError(`NDArray: unknown option "${key}"; NDArray takes strides, offset, dtype`);
      }
    }
    this.storage = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(options.strides ? [...options.strides] : cStrides(shape));
    this.offset = options.offset ?? 0;
    this.dtype = options.dtype ?? dtypeOfTypedArray(data);
    this.lanes = dtypeInfo(this.dtype).lanes;
    if (this.strides.length !== this.shape.length) {
      throw new InvalidOptionError(`strides [${this.strides.join(", ")}] do not match shape [${this.shape.join(", ")}]`);
    }
    const storage = dtypeInfo(this.dtype).array;
    if (!(data instanceof storage)) {
      throw new InvalidOptionError(`dtype ${this.dtype} needs a ${storage.name}, got a ${data.constructor.name}`);
    }
    if (!options.strides && !options.offset && data.length < shapeSize(shape) * this.lanes) {
      throw new InvalidOptionError(
        `data has ${data.length} elements, shape [${shape.join(", ")}] needs ${shapeSize(shape) * this.lanes}` +
          (this.lanes === 2 ? ` (two storage slots, re and im, per ${this.dtype} element)` : ""),
      );
    }
  }

  /**
   * The elements' TypedArray, for kernels that read one slot per element. A complex array has
   * two slots per element, so reading it here would be a silent wrong answer: it is refused,
   * naming the operation that asked (the guard every kernel without complex support goes through).
   */
  get data(): TypedArray {
    if (this.lanes !== 1) refuseComplexStorage(this.dtype);
    return this.storage;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return shapeSize(this.shape);
  }

  get itemsize(): number {
    return dtypeInfo(this.dtype).itemsize;
  }

  get nbytes(): number {
    return this.size * this.itemsize;
  }

  /** True when the elements are laid out densely in C order starting at `offset`. */
  isContiguous(): boolean {
    if (arguments.length > 0) refuseNDArrayArguments("isContiguous", arguments);
    let step = 1;
    for (let axis = this.ndim - 1; axis >= 0; axis--) {
      if (this.shape[axis] !== 1 && this.strides[axis] !== step) return false;
      step *= this.shape[axis];
    }
    return true;
  }

  /** Flat index into `data` of a multi-index. */
  index(indices: readonly number[]): number {
    if (arguments.length > 1) refuseNDArrayArguments("index", arguments);
    if (indices.length !== this.ndim) {
      throw new InvalidOptionError(`index [${indices.join(", ")}] has ${indices.length} entries, array has ${this.ndim} axes`);
    }
    let flat = this.offset;
    for (let axis = 0; axis < this.ndim; axis++) {
      let i = indices[axis];
      if (i < 0) i += this.shape[axis];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[axis]) {
        throw new InvalidOptionError(`index ${indices[axis]} is out of bounds for axis ${axis} with size ${this.shape[axis]}`);
      }
      flat += i * this.strides[axis];
    }
    return flat;
  }

  /** The element at a multi-index; numbers for every dtype but int64/uint64 (bigint). */
  get(...indices: number[]): number | bigint {
    return this.data[this.index(indices)];
  }

  /** The element at a multi-index of a complex array (a real array gives im 0). */
  getComplex(...indices: number[]): ComplexValue {
    const flat = this.index(indices);
    if (this.lanes === 1) return { re: Number(this.storage[flat]), im: 0 };
    return { re: this.storage[2 * flat] as number, im: this.storage[2 * flat + 1] as number };
  }

  set(indices: readonly number[], value: number | bigint): void {
    if (arguments.length > 2) refuseNDArrayArguments("set", arguments);
    const flat = this.index(indices);
    if (isBigIntDType(this.dtype)) (this.data as BigInt64Array)[flat] = BigInt(value);
    else (this.data as Float64Array)[flat] = Number(value);
  }

  /** The single value of a size-1 array (NumPy's `item()`), or the element at an index. */
  item(...indices: number[]): number | bigint | boolean | ComplexValue {
    if (this.lanes === 2) {
      if (indices.length === 0 && this.size !== 1) {
        throw new InvalidOptionError(`item() needs an array of size 1, this one has shape [${this.shape.join(", ")}]`);
      }
      return indices.length === 0 ? this.getComplex(...this.shape.map(() => 0)) : this.getComplex(...indices);
    }
    if (indices.length === 0) {
      if (this.size !== 1) {
        throw new InvalidOptionError(`item() needs an array of size 1, this one has shape [${this.shape.join(", ")}]`);
      }
      const value = this.data[this.offset];
      return this.dtype === "bool" ? value !== 0 : value;
    }
    const value = this.get(...indices);
    return this.dtype === "bool" ? value !== 0 : value;
  }

  /**
   * The elements in C order as a TypedArray: `data` itself (or a subarray of it, no copy) when
   * the array is already contiguous, otherwise a contiguous copy.
   */
  toTypedArray(): TypedArray {
    if (arguments.length > 0) refuseNDArrayArguments("toTypedArray", arguments);
    const size = this.size;
    if (this.isContiguous()) {
      if (this.offset === 0 && this.data.length === size) return this.data;
      return this.data.subarray(this.offset, this.offset + size);
    }
    const copy = allocate(this.dtype, size);
    runElementwise(
      { key: `copy:${this.dtype}`, arity: 1, expression: "x0" },
      this.shape,
      { data: copy, offset: 0, strides: cStrides(this.shape) },
      [this],
    );
    return copy;
  }

  /** Nested JS arrays (NumPy's `tolist()`): booleans for bool, bigints for int64/uint64; a 0-d array gives its value. */
  toArray(): NestedArray {
    if (arguments.length > 0) refuseNDArrayArguments("toArray", arguments);
    const complex = this.lanes === 2;
    const flat = complex ? this.toStorage() : this.toTypedArray();
    const isBool = this.dtype === "bool";
    let position = 0;
    const build = (axis: number): NestedArray => {
      if (axis === this.ndim) {
        if (complex) {
          const value = { re: flat[position] as number, im: flat[position + 1] as number };
          position += 2;
          return value;
        }
        const value = flat[position++];
        return isBool ? value !== 0 : value;
      }
      const items: NestedArray[] = new Array(this.shape[axis]);
      for (let i = 0; i < this.shape[axis]; i++) items[i] = build(axis + 1);
      return items;
    };
    return build(0);
  }

  /**
   * The storage of the elements in C order (for complex: 2·size interleaved slots): `storage`
   * itself or a subarray of it when already contiguous, otherwise a contiguous copy.
   */
  toStorage(): TypedArray {
    if (arguments.length > 0) refuseNDArrayArguments("toStorage", arguments);
    if (this.lanes === 1) return this.toTypedArray();
    const size = this.size;
    if (this.isContiguous()) {
      if (this.offset === 0 && this.storage.length === 2 * size) return this.storage;
      return this.storage.subarray(2 * this.offset, 2 * (this.offset + size));
    }
    const copy = allocate(this.dtype, size);
    // The pairs walked as a real array with a last axis (re, im) of stride 1.
    runElementwise(
      { key: `copy:${dtypeOfTypedArray(copy)}`, arity: 1, expression: "x0" },
      [...this.shape, 2],
      { data: copy, offset: 0, strides: cStrides([...this.shape, 2]) },
      [{ data: this.storage, offset: 2 * this.offset, strides: [...this.strides.map((stride) => 2 * stride), 1] }],
    );
    return copy;
  }

  toString(): string {
    if (arguments.length > 0) refuseNDArrayArguments("toString", arguments);
    return `NDArray(${this.dtype}, [${this.shape.join(", ")}])`;
  }
}

export function isNDArray(value: unknown): value is NDArray {
  return value instanceof NDArray;
}

/** A new C-ordered array of zeros. */
export function empty(shape: Shape, dtype: DType = "float64"): NDArray {
  validateShape(shape);
  checkBlockSize(shape, dtype, "empty");
  return new NDArray(allocate(dtype, shapeSize(shape)), shape, { dtype });
}
