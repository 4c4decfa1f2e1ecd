/**
 * Cumulative sums and products along one axis (np.cumsum, np.cumprod, np.nancumsum,
 * np.nancumprod), and the carry step the lazy layer chains between blocks (array/cumulative.ts).
 *
 * NumPy's accumulate is a plain running fold along the axis (no pairwise summation), so each
 * element is `previous op current` in the result dtype, in order: float results are reproduced
 * bit for bit. The input is first cast to the result dtype (NumPy casts before it adds: an int8
 * cumsum with dtype int8 wraps modulo 2^8), whose default is sum's: int64 for bool and signed
 * integers, uint64 for unsigned ones, the input dtype for floats. The nan variants first replace
 * NaN by the identity (0 or 1), as np.nancumsum does; on integers they are cumsum / cumprod.
 * Without an axis the array is flattened in C order first, as NumPy does.
 */
import { refuseComplex } from "./complex-refusal.js";
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxis } from "./axes.js";
import { assign, requireArray } from "./copy.js";
import { type DType, dtypeInfo, isComplexDType, toDType } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { reshape } from "./views.js";
import { slice } from "./slice.js";
import { add, multiply } from "./arithmetic.js";
import { refuseUnknownObjectKeys } from "./option-keys.js";
import { fusedMultiplyAdd } from "./fused-multiply-add.js";

export interface CumulativeOptions {
  /** The axis to accumulate along; absent or null flattens the array first (NumPy's default). */
  axis?: number | null;
  /** The dtype the input is cast to and accumulated in (default: sum's accumulator). */
  dtype?: DType | string;
}

export type CumulativeOperation = "cumsum" | "cumprod" | "nancumsum" | "nancumprod";
const cumulativeOptionNames = ["axis", "dtype"];

/** NumPy's default accumulator dtype of cumsum and cumprod (that of sum and prod). */
export function defaultCumulativeDType(dtype: DType): DType {
  const kind = dtypeInfo(dtype).kind;
  if (kind === "f" || kind === "c") return dtype;
  return kind === "u" ? "uint64" : "int64";
}

/** Reads and checks the options; an unknown option or a non-integer axis is refused by name. */
export function readCumulativeOptions(operation: string, argument: unknown): CumulativeOptions {
  if (argument === undefined || argument === null) return {};
  if (typeof argument === "number") return { axis: argument };
  if (typeof argument !== "object" || Array.isArray(argument)) {
    throw new InvalidOptionError(`${operation}: options must be an axis or an object such as { axis: 0 }, got ${JSON.stringify(argument)}`);
  }
  for (const [key, value] of Object.entries(argument)) {
    if (value !== undefined && !cumulativeOptionNames.includes(key)) {
      throw new InvalidOptionError(`${operation}: unknown option "${key}"; ${operation} takes ${cumulativeOptionNames.join(", ")}`);
    }
  }
  const options = argument as CumulativeOptions;
  if (options.axis !== undefined && options.axis !== null && typeof options.axis !== "number") {
    throw new InvalidOptionError(`${operation}: axis must be one integer (or null to flatten), got ${JSON.stringify(options.axis)}`);
  }
  return options;
}

/** The elementwise step `previous op current` for the result dtype. */
function stepOf(dtype: DType, product: boolean): (previous: never, current: never) => number | bigint {
  const info = dtypeInfo(dtype);
  // Stores into the typed array wrap integers (ToInt8…ToBigInt64 are modular) and round float32
  // sums and products correctly (the exact double result rounded once more to float32 is the
  // float32 result, 53 ≥ 2·24 + 2 bits). Only int32 products may pass 2^53 in a double: imul.
  if (info.kind === "b") return product ? (p: number, c: number) => p & c : (p: number, c: number) => p | c;
  if (info.itemsize === 8 && info.kind !== "f") return product ? (p: bigint, c: bigint) => p * c : (p: bigint, c: bigint) => p + c;
  if (product && info.itemsize === 4 && info.kind !== "f") return (p: number, c: number) => Math.imul(p, c);
  return product ? (p: number, c: number) => p * c : (p: number, c: number) => p + c;
}

function accumulate(operation: CumulativeOperation, a: NDArray, argument: unknown): NDArray {
  requireArray(a, operation);
  const options = readCumulativeOptions(operation, argument);
  const resultDType = options.dtype !== undefined ? toDType(options.dtype, `${operation} dtype`) : defaultCumulativeDType(a.dtype);
  refuseComplexAccumulation(operation, a.dtype, resultDType);
  let input = a;
  if (options.axis === undefined || options.axis === null) input = reshape(a, [-1]);
  const axis = normalizeAxis(options.axis ?? 0, input.shape.length, operation);
  const product = operation.endsWith("prod");
  const out = empty(input.shape, resultDType);
  if (operation.startsWith("nan") && dtypeInfo(input.dtype).kind === "f") {
    // NaN becomes the identity in the input dtype, before the cast (as np.nancumsum).
    const replaced = empty(input.shape, input.dtype);
    assign(replaced, input);
    const values = replaced.data as Float64Array;
    for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) values[i] = product ? 1 : 0;
    input = replaced;
  }
  assign(out, input);
  if (isComplexDType(resultDType)) return accumulateComplex(out, axis, product);
  const values = out.data as unknown as Array<number | bigint>;
  const step = stepOf(resultDType, product) as (p: number | bigint, c: number | bigint) => number | bigint;
  const length = input.shape[axis];
  const inner = input.shape.slice(axis + 1).reduce((x, y) => x * y, 1);
  const outer = input.shape.slice(0, axis).reduce((x, y) => x * y, 1);
  for (let o = 0; o < outer; o++) {
    const base = o * length * inner;
    for (let j = 1; j < length; j++) {
      const row = base + j * inner;
      for (let k = 0; k < inner; k++) values[row + k] = step(values[row - inner + k], values[row + k]);
    }
  }
  return out;
}

/**
 * Which complex accumulations are taken: cumsum and cumprod of complex input in a complex dtype
 * (a real input cast to a complex dtype too). A real dtype for complex input would drop the
 * imaginary part (NumPy's ComplexWarning), and the NaN-skipping forms are not written for complex.
 */
export function refuseComplexAccumulation(operation: string, input: DType, result: DType): void {
  if (operation.startsWith("nan")) {
    refuseComplex(operation, input);
    refuseComplex(`${operation} dtype`, result);
  }
  if (isComplexDType(input) && !isComplexDType(result)) refuseComplex(`${operation} with dtype ${result}`, input);
}

/**
 * NumPy's add / multiply accumulate for complex, in place on a fresh C-ordered complex array:
 * each element is previous op current with NumPy's complex add (halves apart) or multiply as
 * its accumulate loop computes it: complex128 fused, re = fma(pr, cr, −pi·ci),
 * im = fma(pr, ci, pi·cr) (fused-multiply-add.ts); complex64 with each product and the sum
 * rounded to float32 (checked against NumPy 1.24's np.multiply.accumulate on x86-64).
 */
function accumulateComplex(out: NDArray, axis: number, product: boolean): NDArray {
  const values = out.storage as Float64Array;
  const single = out.dtype === "complex64";
  const length = out.shape[axis];
  const inner = out.shape.slice(axis + 1).reduce((x, y) => x * y, 1);
  const outer = out.shape.slice(0, axis).reduce((x, y) => x * y, 1);
  for (let o = 0; o < outer; o++) {
    const base = o * length * inner;
    for (let j = 1; j < length; j++) {
      const row = base + j * inner;
      for (let k = 0; k < inner; k++) {
        const p = 2 * (row - inner + k);
        const c = 2 * (row + k);
        if (!product) {
          values[c] += values[p];
          values[c + 1] += values[p + 1];
          continue;
        }
        const [pr, pi, cr, ci] = [values[p], values[p + 1], values[c], values[c + 1]];
        if (single) {
          values[c] = Math.fround(pr * cr) - Math.fround(pi * ci);
          values[c + 1] = Math.fround(pr * ci) + Math.fround(pi * cr);
        } else {
          values[c] = fusedMultiplyAdd(pr, cr, -(pi * ci));
          values[c + 1] = fusedMultiplyAdd(pr, ci, pi * cr);
        }
      }
    }
  }
  return out;
}

/** Running sums along an axis (np.cumsum): `cumsum(a, { axis, dtype })` or `cumsum(a, axis)`. */
export const cumsum = definePublicBuiltin("cumsum", function cumsum(a: NDArray, options?: CumulativeOptions | number | null): NDArray {
  return accumulate("cumsum", a, options);
});

/** Running products along an axis (np.cumprod). */
export const cumprod = definePublicBuiltin("cumprod", function cumprod(a: NDArray, options?: CumulativeOptions | number | null): NDArray {
  return accumulate("cumprod", a, options);
});

/** np.nancumsum: cumsum with NaN counted as 0 (a leading run of NaN gives 0). */
export const nancumsum = definePublicBuiltin("nancumsum", function nancumsum(a: NDArray, options?: CumulativeOptions | number | null): NDArray {
  return accumulate("nancumsum", a, options);
});

/** np.nancumprod: cumprod with NaN counted as 1. */
export const nancumprod = definePublicBuiltin("nancumprod", function nancumprod(a: NDArray, options?: CumulativeOptions | number | null): NDArray {
  return accumulate("nancumprod", a, options);
});

export interface CarryOptions {
  axis: number;
  product: boolean;
  dtype: DType;
}

const carryKeys = ["axis", "product", "dtype"];

/**
 * Dask's carry between blocks (cumreduction, method "sequential"): the running total before
 * block i+1 is `carry_i op last_i`, where last_i is block i's last slice along the axis (its
 * accumulated total) and carry_0 is the identity, so the first carry is `0 + last` (which turns
 * a -0 into +0, as Dask's does). `previous` null stands for carry_0.
 */
export const cumulativeCarry = definePublicBuiltin("cumulativeCarry", function cumulativeCarry(previous: NDArray | null, block: NDArray, options: CarryOptions): NDArray {
  requireArray(block, "cumulativeCarry");
  refuseUnknownObjectKeys(options, carryKeys, "cumulativeCarry");
  const { axis, product, dtype } = options;
  const length = block.shape[axis];
  let carry = previous;
  if (carry === null) {
    carry = empty(block.shape.map((n, a) => (a === axis ? 1 : n)), dtype);
    // The identity of a complex carry is 0 or 1 + 0j: real halves set, imaginary halves left 0.
    if (isComplexDType(dtype)) {
      const storage = carry.storage as Float64Array;
      for (let i = 0; i < storage.length; i += 2) storage[i] = product ? 1 : 0;
    } else (carry.data as Float64Array).fill((dtypeInfo(dtype).itemsize === 8 && dtypeInfo(dtype).kind !== "f" ? BigInt(product ? 1 : 0) : product ? 1 : 0) as number);
  }
  // A block with nothing along the axis (a boolean mask's, of unknown size) adds nothing: the carry goes on.
  if (length === 0) return carry;
  const last = slice(block, ...block.shape.map((_, a) => (a === axis ? { start: length - 1, stop: length } : ":")));
  return product ? multiply(carry, last) : add(carry, last);
});
