/**
 * NumPy's type promotion for the supported dtypes, and NumPy 2's rule for Python scalars
 * (NEP 50): a JS number or bigint is a "weak" scalar that takes the dtype of the array it
 * meets, unless it is of a higher kind (a fractional number meeting an integer array).
 *
 * JS numbers cannot say whether they were written `2` or `2.0`, so an integral number is
 * read as a Python int and any other number (fractional, NaN, ±Infinity, -0) as a Python
 * float. `uint8Array * 2` therefore stays uint8, as in NumPy, and so does `uint8Array * 2.0`,
 * where NumPy would give float64: write `astype` first when a float result is wanted.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo, toDType } from "./dtype.js";
import { NDArray } from "./ndarray.js";

/** What an elementwise operation accepts: an array, or a scalar. */
export type Operand = NDArray | number | bigint | boolean;

export type WeakKind = "int" | "float";

/** The kind of a JS scalar read as a Python scalar (see the module comment). */
export function weakKindOf(value: number | bigint): WeakKind {
  if (typeof value === "bigint") return "int";
  return Number.isInteger(value) && !Object.is(value, -0) ? "int" : "float";
}

const intRanges: Partial<Record<DType, readonly [bigint, bigint]>> = {
  int8: [-128n, 127n], uint8: [0n, 255n], int16: [-32768n, 32767n], uint16: [0n, 65535n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n], uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n], uint64: [0n, 2n ** 64n - 1n],
};

/** The [min, max] of an integer dtype (bool is [0, 1]). */
export function integerRange(dtype: DType): readonly [bigint, bigint] {
  if (dtype === "bool") return [0n, 1n];
  const range = intRanges[dtype];
  if (!range) throw new InvalidOptionError(`${dtype} is not an integer dtype`);
  return range;
}

/** Whether an integral scalar fits an integer dtype. */
export function integerFits(value: number | bigint, dtype: DType): boolean {
  const [low, high] = integerRange(dtype);
  const big = typeof value === "bigint" ? value : BigInt(value);
  return big >= low && big <= high;
}

/** The smallest signed integer dtype of at least `bytes` bytes. */
function signedOfSize(bytes: number): DType {
  if (bytes <= 1) return "int8";
  if (bytes <= 2) return "int16";
  if (bytes <= 4) return "int32";
  return "int64";
}

/** `np.promote_types(a, b)`: the smallest dtype both cast to safely (identical to NumPy's table). */
export function promoteTypes(first: DType | string, second: DType | string): DType {
  const a = dtypeInfo(toDType(first));
  const b = dtypeInfo(toDType(second));
  if (a.name === b.name) return a.name;
  if (a.kind === "b") return b.name;
  if (b.kind === "b") return a.name;
  if (a.kind === "c" || b.kind === "c") return promoteWithComplex(a.name, b.name);
  if (a.kind === "f" || b.kind === "f") {
    if (a.kind === "f" && b.kind === "f") return a.itemsize >= b.itemsize ? a.name : b.name;
    const float = a.kind === "f" ? a : b;
    const integer = a.kind === "f" ? b : a;
    // float32 holds every integer of up to 16 bits exactly; wider integers need float64.
    return float.name === "float32" && integer.itemsize <= 2 ? "float32" : "float64";
  }
  if (a.kind === b.kind) return a.itemsize >= b.itemsize ? a.name : b.name;
  const signed = a.kind === "i" ? a : b;
  const unsigned = a.kind === "u" ? a : b;
  if (unsigned.itemsize < signed.itemsize) return signed.name;
  // No integer holds both uint64 and a signed type: NumPy falls back to float64.
  if (unsigned.itemsize === 8) return "float64";
  return signedOfSize(unsigned.itemsize * 2);
}

/**
 * NumPy's table with a complex dtype: complex64 holds float32 and integers of up to 16 bits
 * exactly (its halves are float32); anything wider, or complex128, gives complex128.
 */
function promoteWithComplex(a: DType, b: DType): DType {
  if (a === "complex128" || b === "complex128") return "complex128";
  const other = a === "complex64" ? b : a;
  if (other === "complex64") return "complex64";
  const realPartner = promoteTypes("float32", other);
  return realPartner === "float32" ? "complex64" : "complex128";
}

/** The dtype a scalar or array contributes when it is not weak. */
function strongDTypeOf(operand: NDArray | DType | string | boolean): DType {
  if (operand instanceof NDArray) return operand.dtype;
  if (typeof operand === "boolean") return "bool";
  return toDType(operand);
}

/**
 * `np.result_type(...)` under NumPy 2 (NEP 50): arrays, dtype names and booleans are strong;
 * numbers and bigints are weak. With only weak operands the result is int64 (all integral)
 * or float64. The range of a weak integer is not checked here; operations check it.
 */
export function resultType(...operands: Array<Operand | DType | string>): DType {
  let strong: DType | undefined;
  let weak: WeakKind | undefined;
  for (const operand of operands) {
    if (typeof operand === "number" || typeof operand === "bigint") {
      if (weakKindOf(operand) === "float") weak = "float";
      else weak ??= "int";
    } else {
      const dtype = strongDTypeOf(operand);
      strong = strong === undefined ? dtype : promoteTypes(strong, dtype);
    }
  }
  if (strong === undefined) {
    if (weak === undefined) throw new InvalidOptionError("resultType needs at least one array, dtype or scalar");
    return weak === "float" ? "float64" : "int64";
  }
  if (weak === undefined) return strong;
  const kind = dtypeInfo(strong).kind;
  if (weak === "float") return kind === "f" || kind === "c" ? strong : "float64";
  // A Python int meeting a bool array gives the default integer.
  return kind === "b" ? "int64" : strong;
}
