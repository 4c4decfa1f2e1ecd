/**
 * Seeded cases for the segmentation and measurement differential tests: label masks of every
 * dtype with NaN and −0 among the floats, structures of every connectivity and random symmetric
 * ones, label arrays of every integer dtype (negative and sparse labels included), and the index
 * forms scipy reads (none, scalar, list with absent labels, label 0 and repeats, an array).
 */
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { type Rng, integer, pick } from "../array/differential-inputs.js";
import { py } from "./differential-harness.js";

export const maskDtypes: readonly nd.DType[] = ["bool", "uint8", "int8", "uint16", "int32", "float32", "float64"];

export function randomShape(rng: Rng, ndim: number, most: number): number[] {
  return Array.from({ length: ndim }, () => (rng() < 0.15 ? 1 : integer(rng, 1, most)));
}

/** A mask with foreground density `density`; floats hold NaN (foreground) and −0 (background) now and then. */
export function randomMask(rng: Rng, shape: number[], dtype: nd.DType, density: number): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  const float = dtype.startsWith("float");
  for (let i = 0; i < size; i++) {
    if (rng() < density) data[i] = float && rng() < 0.1 ? NaN : dtype === "bool" ? 1 : integer(rng, 1, dtype === "int8" ? 127 : 200) * (dtype.startsWith("int") && rng() < 0.3 ? -1 : 1);
    else data[i] = float && rng() < 0.2 ? -0 : 0;
  }
  return nd.astype(nd.fromTypedArray(data, shape), dtype);
}

/** A structure: none (default), every connectivity, or a random symmetric one. */
export function randomStructure(rng: Rng, ndim: number): nd.NDArray | undefined {
  const style = rng();
  if (style < 0.2 || ndim === 0) return undefined;
  if (style < 0.75) return ndimage.generateBinaryStructure(ndim, integer(rng, 1, ndim));
  const size = 3 ** ndim;
  const data = new Uint8Array(size);
  for (let i = 0; i < (size - 1) / 2; i++) data[i] = data[size - 1 - i] = rng() < 0.5 ? 1 : 0;
  data[(size - 1) / 2] = rng() < 0.8 ? 1 : 0;
  return nd.fromTypedArray(data, new Array<number>(ndim).fill(3), { dtype: "bool" });
}

export const structurePy = (structure: nd.NDArray | undefined): string => (structure === undefined ? "None" : py(structure));

/** Labels of `dtype` drawn from a few values (0 often, negatives for signed dtypes, sometimes a sparse large one). */
export function randomLabels(rng: Rng, shape: number[], dtype: nd.DType): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  const most = dtype === "bool" ? 1 : integer(rng, 1, 6);
  const signed = dtype.startsWith("int");
  const sparse = dtype !== "bool" && dtype !== "int8" && dtype !== "uint8" && rng() < 0.2 ? 1000 : 0;
  for (let i = 0; i < size; i++) {
    const r = rng();
    data[i] = r < 0.3 ? 0 : signed && r < 0.38 ? -integer(rng, 1, 3) : sparse && r < 0.42 ? sparse : integer(rng, 0, most);
  }
  return nd.astype(nd.fromTypedArray(data, shape), dtype);
}

/** Index forms: undefined, a scalar (present, absent or 0), a list (absent labels, 0, repeats, negatives), an int array. */
export function randomIndex(rng: Rng, signed: boolean): { index: number | number[] | nd.NDArray | undefined; python: string } {
  const style = rng();
  if (style < 0.2) return { index: undefined, python: "None" };
  if (style < 0.45) {
    const label = pick(rng, [0, 1, 2, 3, 7, 1000, ...(signed ? [-1] : [])]);
    return { index: label, python: String(label) };
  }
  const list = Array.from({ length: integer(rng, 0, 6) }, () => pick(rng, [0, 1, 2, 3, 4, 5, 9, 1000, ...(signed ? [-1, -2] : [])]));
  if (style < 0.8 || list.length === 0) return { index: list, python: py(list) };
  const dtype = pick(rng, ["int32", "int64", "uint8", "int16"] as nd.DType[]);
  const positive = dtype === "uint8" ? list.map((v) => Math.abs(v) % 256) : list;
  const array = nd.astype(nd.fromTypedArray(Float64Array.from(positive), [positive.length]), dtype);
  return { index: array, python: `np.array(${py(positive)}, dtype=${JSON.stringify(dtype)})` };
}

/** Values for measurements: small integers (exact sums) or floats with a wide range and a NaN now and then. */
export function randomValues(rng: Rng, shape: number[], dtype: nd.DType): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === "int64" || dtype === "uint64") {
    // Past 2⁵³ half the time: sums then wrap as NumPy's, extremes must stay exact.
    const large = rng() < 0.5;
    const draw = () => (large ? BigInt(integer(rng, 0, 2 ** 30)) * 2n ** 32n + BigInt(integer(rng, 0, 2 ** 31)) : BigInt(integer(rng, 0, 30000))) * (dtype === "int64" && rng() < 0.4 ? -1n : 1n);
    return dtype === "int64" ? nd.fromTypedArray(BigInt64Array.from({ length: size }, draw), shape) : nd.fromTypedArray(BigUint64Array.from({ length: size }, draw), shape);
  }
  const data = new Float64Array(size);
  const float = dtype.startsWith("float");
  const specials = float && rng() < 0.2;
  for (let i = 0; i < size; i++) {
    if (dtype === "bool") data[i] = rng() < 0.5 ? 1 : 0;
    else if (float) data[i] = specials && rng() < 0.05 ? pick(rng, [NaN, -0, Infinity]) : (rng() - 0.4) * 10 ** integer(rng, -2, 4);
    else if (dtype.startsWith("u")) data[i] = integer(rng, 0, dtype === "uint8" ? 255 : 60000);
    else data[i] = integer(rng, dtype === "int8" ? -128 : -30000, dtype === "int8" ? 127 : 30000);
  }
  return nd.astype(nd.fromTypedArray(data, shape), dtype);
}

/** Block sizes along an axis of n: one block, blocks of 1, 2 or k cells, or a random partition. */
export function manyChunks(rng: Rng, n: number): number[] {
  const style = rng();
  if (n <= 1 || style < 0.1) return [n];
  const size = style < 0.3 ? 1 : style < 0.5 ? 2 : style < 0.7 ? integer(rng, 1, n) : 0;
  if (size > 0) return Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const next = integer(rng, 1, Math.min(left, 4));
    sizes.push(next);
    left -= next;
  }
  return sizes;
}
