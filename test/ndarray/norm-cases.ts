/**
 * Seeded cases of the norm for the eager (NumPy) and lazy (Dask) differential tests: every order
 * NumPy takes for vectors and matrices, axes given or not, negative, keepdims, int/float32/float64
 * inputs with negative values and zeros, many blocks per axis for the lazy side.
 */
import type * as nd from "../../src/ndarray/index.js";
import type { NormOptions } from "../../src/ndarray/norm.js";
import { type Rng, integer, pick, randomArray, randomChunks } from "../array/differential-inputs.js";

export interface NormCase {
  label: string;
  input: string;
  options: NormOptions;
  /** The keyword arguments in Python. */
  python: string;
  chunks: number[][];
}

const vectorOrders = [null, 2, 1, 0, 3, 0.5, -1, -2, Infinity, -Infinity];
const matrixOrders = [null, "fro", 1, -1, Infinity, -Infinity] as const;

const pyValue = (v: unknown): string =>
  v === null ? "None" : v === Infinity ? "np.inf" : v === -Infinity ? "-np.inf" : typeof v === "string" ? `'${v}'` : Array.isArray(v) ? `(${v.join(", ")}${v.length === 1 ? "," : ""})` : String(v);

export function drawNormCase(rng: Rng, inputs: Record<string, nd.NDArray>, index: number): NormCase {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 24));
  const name = `x${index}`;
  inputs[name] = randomArray(rng, pick(rng, ["float64", "float32", "int32", "int16", "uint8"] as const), shape);
  const chunks = shape.map((n) => randomChunks(rng, n));
  const axisCount = ndim === 1 ? 1 : pick(rng, [0, 1, 2]);
  let axis: number | number[] | undefined;
  if (axisCount === 1) axis = integer(rng, -ndim, ndim - 1);
  if (axisCount === 2) {
    const first = integer(rng, 0, ndim - 1);
    const second = (first + integer(rng, 1, ndim - 1)) % ndim;
    axis = [first, rng() < 0.3 ? second - ndim : second];
  }
  const matrix = axisCount === 2 || (axisCount === 0 && ndim === 2);
  const ord = axisCount === 0 && ndim === 3 ? null : matrix ? pick(rng, matrixOrders) : pick(rng, vectorOrders);
  const keepdims = rng() < 0.3;
  const options: NormOptions = { ord, ...(axis === undefined ? {} : { axis }), keepdims };
  return {
    label: `${inputs[name].dtype}[${shape}] ${JSON.stringify({ ...options, ord: String(ord) })} chunks ${JSON.stringify(chunks)}`,
    input: name,
    options,
    python: `ord=${pyValue(ord)}, axis=${pyValue(axis ?? null)}, keepdims=${keepdims ? "True" : "False"}`,
    chunks,
  };
}

/** Values equal within a relative tolerance (sums: NumPy adds by BLAS or pairwise, tessera in its own tree), NaN = NaN. */
export function closeValues(actual: nd.NDArray, expected: nd.NDArray, tolerance: number): string | undefined {
  const a = actual.toTypedArray() as Float64Array;
  const b = expected.toTypedArray() as Float64Array;
  if (a.length !== b.length) return `${a.length} values, expected ${b.length}`;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (!(Math.abs(a[i] - b[i]) <= tolerance * Math.max(Math.abs(b[i]), Number.MIN_VALUE))) return `element ${i}: ${a[i]}, expected ${b[i]}`;
  }
  return undefined;
}
