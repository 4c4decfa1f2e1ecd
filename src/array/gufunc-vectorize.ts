/**
 * applyGufunc's `vectorize: true`: Dask wraps the function in
 * `np.vectorize(func, signature=signature, otypes=output_dtypes)`, so the function sees one
 * loop element at a time (its core dimensions only) and its results are gathered into arrays
 * of the block's loop shape plus the output core shape. vectorizedCall is NumPy 1.24's
 * `_vectorize_call_with_signature`: inputs' loop shapes broadcast, core sizes must agree
 * between inputs and with the first call's results (NumPy's "inconsistent size for core
 * dimension"), each result is cast (unsafe, as NumPy's item assignment) to its otype or, with
 * no otypes, to the first result's dtype; no call at all on an empty loop.
 *
 * vectorizedCall reads only `nd` and JavaScript's globals, so its own source text travels to
 * the workers inside the block function (vectorizedBlockFunction) with the user's source.
 */
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import * as ndimage from "../ndimage/index.js";
import type { DType } from "../ndarray/dtype.js";

export interface VectorizeSpec {
  inputs: string[][];
  outputs: string[][];
  /** Output dtypes (np.vectorize's otypes); null: each output's first result's dtype. */
  otypes: DType[] | null;
}

/** np.vectorize(fn, signature)(...operands): one result for one output, else a list of them. */
export function vectorizedCall(fn: (...args: unknown[]) => unknown, operands: readonly unknown[], spec: VectorizeSpec): unknown {
  const pyDims = (dims: readonly string[]) => `(${dims.map((d) => `'${d}'`).join(", ")}${dims.length === 1 ? "," : ""})`;
  const asArray = (value: unknown, role: string): nd.NDArray => {
    if (value instanceof nd.NDArray) return value;
    if (typeof value === "number") return new nd.NDArray(new Float64Array([value]), [], { dtype: "float64" });
    if (typeof value === "bigint") return new nd.NDArray(new BigInt64Array([value]), [], { dtype: "int64" });
    if (typeof value === "boolean") return new nd.NDArray(new Uint8Array([value ? 1 : 0]), [], { dtype: "bool" });
    throw new Error(`vectorize: ${role} must be an NDArray or a number, got ${value === null ? "null" : typeof value}`);
  };
  const sizes: Record<string, number> = {};
  const updateSizes = (array: nd.NDArray, dims: readonly string[]) => {
    if (dims.length === 0) return;
    if (array.shape.length < dims.length) throw new Error(`${array.shape.length}-dimensional argument does not have enough dimensions for all core dimensions ${pyDims(dims)}`);
    dims.forEach((dim, i) => {
      const size = array.shape[array.shape.length - dims.length + i];
      if (dim in sizes && sizes[dim] !== size) throw new Error(`inconsistent size for core dimension '${dim}': ${size} vs ${sizes[dim]}`);
      sizes[dim] = size;
    });
  };
  if (operands.length !== spec.inputs.length) throw new Error(`wrong number of positional arguments: expected ${spec.inputs.length}, got ${operands.length}`);
  const arrays = operands.map((operand, k) => asArray(operand, `argument ${k}`));
  arrays.forEach((array, k) => updateSizes(array, spec.inputs[k]));
  const loopShape = nd.broadcastShapes(...arrays.map((array, k) => array.shape.slice(0, array.shape.length - spec.inputs[k].length)));
  const broadcast = arrays.map((array, k) => nd.broadcastTo(array, [...loopShape, ...spec.inputs[k].map((dim) => sizes[dim])]));
  const nout = spec.outputs.length;
  const coreShapes = () => spec.outputs.map((dims) => dims.map((dim) => sizes[dim]));
  let outputs: nd.NDArray[] | null = null;
  const total = loopShape.reduce((a, b) => a * b, 1);
  const index = new Array<number>(loopShape.length).fill(0);
  for (let n = 0; n < total; n++) {
    const returned = fn(...broadcast.map((array) => nd.slice(array, ...index)));
    const count = Array.isArray(returned) ? returned.length : 1;
    if (count !== nout) throw new Error(`wrong number of outputs from pyfunc: expected ${nout}, got ${count}`);
    const results = (Array.isArray(returned) ? returned : [returned]).map((value, k) => asArray(value, `result ${k}`));
    if (outputs === null) {
      results.forEach((result, k) => updateSizes(result, spec.outputs[k]));
      const cores = coreShapes();
      outputs = results.map((result, k) => nd.empty([...loopShape, ...cores[k]], spec.otypes?.[k] ?? result.dtype));
    }
    const made = outputs;
    results.forEach((result, k) => {
      const core = made[k].shape.slice(loopShape.length);
      const coreSize = core.reduce((a, b) => a * b, 1);
      const cast = result.dtype === made[k].dtype ? result : nd.astype(result, made[k].dtype);
      const values = nd.ascontiguousarray(nd.broadcastTo(cast, core)).toTypedArray();
      (made[k].data as unknown as { set(values: ArrayLike<unknown>, offset: number): void }).set(values as ArrayLike<unknown>, n * coreSize);
    });
    for (let axis = loopShape.length - 1; axis >= 0; axis--) {
      if (++index[axis] < loopShape[axis]) break;
      index[axis] = 0;
    }
  }
  if (outputs === null) {
    if (spec.otypes === null) throw new Error("cannot call `vectorize` on size 0 inputs unless `otypes` is set");
    if (spec.outputs.some((dims) => dims.some((dim) => !(dim in sizes)))) throw new Error("cannot call `vectorize` with a signature including new output dimensions on size 0 inputs");
    const cores = coreShapes();
    const otypes = spec.otypes;
    outputs = cores.map((core, k) => nd.empty([...loopShape, ...core], otypes[k]));
  }
  return nout === 1 ? outputs[0] : outputs;
}

/**
 * The block function of a vectorized gufunc: `vectorizedCall` on the user's function (its
 * source inlined), the spec as the last argument. Made with the Function constructor so that
 * its own source text, which travels, reads only `nd` and `ndimage` (bound on workers too).
 */
export function vectorizedBlockFunction(userSource: string, what: string): (...operands: unknown[]) => unknown {
  const text = `function gufuncVectorized(...operands) {
  const spec = operands.pop();
  return (${vectorizedCall.toString()})((${userSource}), operands, spec);
}`;
  const block = new Function("nd", "ndimage", "__name", `"use strict"; return (${text});`)(nd, ndimage, (f: unknown) => f) as (...operands: unknown[]) => unknown;
  try {
    functionRefOf(block);
  } catch (error) {
    throw new InvalidOptionError(`${what}: the vectorized function cannot travel to the workers: ${(error as Error).message}`, { cause: error });
  }
  return block;
}
