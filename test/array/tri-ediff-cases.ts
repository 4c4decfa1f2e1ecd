/**
 * Cases for the differential tests of tri, the triangle indices, ediff1d, vdot, empty and
 * resultType, eager (test/ndarray/tri-ediff-differential.test.ts) and lazy
 * (test/array/tri-ediff-differential.test.ts): each with NumPy's expression, tessera's eager
 * and lazy calls, and Dask's expression where its chunks are known (the triangle indices
 * have none in Dask: NaN), from a seeded draw over sizes, diagonals, dtypes and chunkings.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { Inputs, integer, numberDtypes, pick, randomArray, randomChunks, type Rng } from "./differential-inputs.js";

export interface MatrixCase {
  label: string;
  numpy: string;
  dask?: string;
  eager: () => nd.NDArray;
  lazy: () => ta.Array;
}

const pyChunks = (chunks: number[][]) => `(${chunks.map((c) => `(${c.join(", ")},)`).join(", ")})`;
const pyDtype = (dtype: nd.DType) => `np.${dtype === "bool" ? "bool_" : dtype}`;

function triCase(rng: Rng, index: number): MatrixCase {
  const N = integer(rng, 0, 12);
  const M = rng() < 0.3 ? undefined : integer(rng, 0, 12);
  const k = integer(rng, -14, 14);
  const dtype = pick(rng, ["float64", "float32", "int8", "bool", "int64", "uint16"] as const);
  const chunks: number | number[][] = pick<number | number[][]>(rng, [2, 3, 5, [[4, 3, 5], [2, 7, 3]]]);
  const shapeM = M ?? N;
  // Explicit chunk lists must add up to the shape: only for a 12 × 12 matrix.
  const chunkSpec = typeof chunks === "number" || (N === 12 && shapeM === 12) ? chunks : 4;
  const pyChunk = typeof chunkSpec === "number" ? String(chunkSpec) : pyChunks(chunkSpec);
  const args = `${N}, ${M ?? "None"}, ${k}, dtype=${pyDtype(dtype)}`;
  return {
    label: `tri${index}_${N}x${shapeM}_k${k}_${dtype}`,
    numpy: `np.tri(${args})`,
    dask: `da.tri(${args}, chunks=${pyChunk})`,
    eager: () => nd.tri(N, { ...(M === undefined ? {} : { M }), k, dtype }),
    lazy: () => ta.tri(N, { ...(M === undefined ? {} : { M }), k, dtype, chunks: chunkSpec }),
  };
}

function indexCase(rng: Rng, inputs: Inputs, index: number): MatrixCase[] {
  const lower = rng() < 0.5;
  const n = integer(rng, 0, 15);
  const m = rng() < 0.3 ? undefined : integer(rng, 0, 15);
  const k = integer(rng, -16, 16);
  const chunks = pick(rng, [undefined, 1, 4, 7]);
  const np = lower ? "tril" : "triu";
  const name = lower ? "trilIndices" : "triuIndices";
  if (rng() < 0.3) {
    // The _from forms read n and m from a 2-d array's shape (lazy or in memory).
    const shape = [n, m ?? n];
    const x = inputs.add(nd.zeros(shape, "int8"), shape.map((s) => randomChunks(rng, s)));
    const from = `${name}From` as "trilIndicesFrom" | "triuIndicesFrom";
    return ([0, 1] as const).map((part) => ({
      label: `${from}${index}_${part}_${shape.join("x")}_k${k}`,
      numpy: `np.${np}_indices_from(${x.name}, ${k})[${part}]`,
      eager: () => nd[from](inputs.arrays[x.name], { k })[part],
      lazy: () => ta[from](x.lazy(), { k, ...(chunks === undefined ? {} : { chunks }) })[part],
    }));
  }
  return ([0, 1] as const).map((part) => ({
    label: `${name}${index}_${part}_${n}x${m ?? n}_k${k}`,
    numpy: `np.${np}_indices(${n}, ${k}, ${m ?? "None"})[${part}]`,
    eager: () => nd[name](n, { k, ...(m === undefined ? {} : { m }) })[part],
    lazy: () => ta[name](n, { k, ...(m === undefined ? {} : { m }), ...(chunks === undefined ? {} : { chunks }) })[part],
  }));
}

function ediffCase(rng: Rng, inputs: Inputs, index: number): MatrixCase {
  const dtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, ndim === 1 ? 0 : 1, ndim === 1 ? 40 : 6));
  const x = inputs.add(randomArray(rng, dtype, shape, { specials: true }), shape.map((s) => randomChunks(rng, s)));
  // Edges: Python ints (JS integral numbers), lists of them, an array of a same-kind dtype, or none.
  const edge = (): { js: nd.EdgeValues; py: string } | undefined => {
    const kind = rng();
    if (kind < 0.3) return undefined;
    if (kind < 0.55) {
      // A float (refused for integer arrays) or a negative int (refused for unsigned ones), as NumPy 1.24's can_cast judges them.
      const v = pick(rng, [integer(rng, 0, 100), integer(rng, 0, 100), -3, 2.5]);
      return { js: v, py: String(v) };
    }
    if (kind < 0.8) {
      const values = Array.from({ length: integer(rng, 0, 3) }, () => integer(rng, 0, 100));
      return { js: values, py: `[${values.join(", ")}]` };
    }
    const edgeDtype = nd.dtypeInfo(dtype).kind === "f" ? pick(rng, ["float32", "float64", "int16", "uint8"] as const) : pick<nd.DType>(rng, ["uint8", "bool", dtype]);
    const data = randomArray(rng, edgeDtype, [integer(rng, 1, 3)], { small: true });
    const e = inputs.add(data, [[data.size]]);
    return { js: data, py: e.name };
  };
  const [toBegin, toEnd] = [edge(), edge()];
  const options = { ...(toBegin ? { toBegin: toBegin.js } : {}), ...(toEnd ? { toEnd: toEnd.js } : {}) };
  const pyArgs = `${toEnd ? `, to_end=${toEnd.py}` : ""}${toBegin ? `, to_begin=${toBegin.py}` : ""}`;
  return {
    label: `ediff1d${index}_${dtype}_${shape.join("x")}`,
    numpy: `np.ediff1d(${x.name}${pyArgs})`,
    dask: `da.ediff1d(${x.py}${pyArgs})`,
    eager: () => nd.ediff1d(inputs.arrays[x.name], options),
    lazy: () => ta.ediff1d(x.lazy(), options),
  };
}

function vdotCase(rng: Rng, inputs: Inputs, index: number): MatrixCase {
  const [dtypeA, dtypeB] = [pick(rng, numberDtypes), pick(rng, numberDtypes)];
  const size = pick(rng, [0, 2, 6, 12, 24]);
  const shapeA = pick(rng, [[size], [size / 2 || 0, 2], [2, size / 2 || 0]].filter((s) => s.reduce((a, b) => a * b, 1) === size));
  const shapeB = [size];
  const a = inputs.add(randomArray(rng, dtypeA, shapeA, { small: true }), shapeA.map((s) => randomChunks(rng, s)));
  const b = inputs.add(randomArray(rng, dtypeB, shapeB, { small: true }), shapeB.map((s) => randomChunks(rng, s)));
  return {
    label: `vdot${index}_${dtypeA}_${dtypeB}_${size}`,
    numpy: `np.asarray(np.vdot(${a.name}, ${b.name}))`,
    // Dask cannot reshape a 0-element 2-d array (NotImplementedError): its chunks only for the others.
    dask: size === 0 && shapeA.length === 2 ? undefined : `da.vdot(${a.py}, ${b.py})`,
    eager: () => nd.vdot(inputs.arrays[a.name], inputs.arrays[b.name]),
    lazy: () => ta.vdot(a.lazy(), b.lazy()),
  };
}

function emptyCase(rng: Rng, index: number): MatrixCase {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, 0, 9));
  const chunks = integer(rng, 1, 4);
  const dtype = pick(rng, ["float64", "int32", "uint8"] as const);
  return {
    label: `empty${index}_${shape.join("x")}`,
    // Dask's values are unspecified: compare with zeros, the chunks with da.empty's.
    numpy: `np.zeros((${shape.join(", ")},), dtype=np.${dtype})`,
    dask: `da.empty((${shape.join(", ")},), dtype=np.${dtype}, chunks=${chunks})`,
    eager: () => nd.zeros(shape, dtype),
    lazy: () => ta.empty(shape, { chunks, dtype }),
  };
}

function resultTypeCase(rng: Rng, index: number): MatrixCase {
  const [a, b] = [pick(rng, numberDtypes), pick(rng, numberDtypes)];
  const dtype = () => nd.resultType(a, b);
  return {
    label: `resultType${index}_${a}_${b}`,
    numpy: `np.zeros(1, np.result_type(np.${a === "bool" ? "bool_" : a}, np.${b === "bool" ? "bool_" : b}))`,
    eager: () => nd.zeros([1], dtype()),
    lazy: () => ta.zeros([1], { dtype: ta.resultType(ta.zeros([2], { dtype: a }), b) }),
  };
}

export function drawMatrixCases(rng: Rng, inputs: Inputs, count: number): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (let i = 0; cases.length < count; i++) {
    const kind = rng();
    if (kind < 0.2) cases.push(triCase(rng, i));
    else if (kind < 0.45) cases.push(...indexCase(rng, inputs, i));
    else if (kind < 0.75) cases.push(ediffCase(rng, inputs, i));
    else if (kind < 0.88) cases.push(vdotCase(rng, inputs, i));
    else if (kind < 0.94) cases.push(emptyCase(rng, i));
    else cases.push(resultTypeCase(rng, i));
  }
  return cases;
}
