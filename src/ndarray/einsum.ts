/**
 * NumPy's einsum on in-memory arrays. The subscripts are read into labels (einsum-subscripts.ts);
 * then each operand's repeated labels become a diagonal view (strides added), its length-1
 * axes are stretched (stride 0) to the label's length, and the operands are contracted left to
 * right, two at a time, as batched matrix products on the one kernel under tensordot and matmul
 * (matrix-product.ts): labels shared and still needed (by the output or a later operand) are
 * batch axes, labels shared and no longer needed are contracted, and a label only one side has
 * and nobody needs is summed first (a product with a vector of ones). Everything is computed in
 * the result dtype (NumPy's promotion of the operands, or `dtype`, which each operand must cast
 * to safely as NumPy's casting='safe' demands), so integers wrap as NumPy's, bool sums are `or`.
 *
 * One NumPy quirk is kept on purpose: a single operand with no label summed (a transpose, a
 * diagonal) is returned as a view of that operand in its own dtype, `dtype` unused, as NumPy
 * 1.24 does.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { astype, ascontiguousarray, requireArray } from "./copy.js";
import { dtypeInfo, isComplexDType, toDType, type DType } from "./dtype.js";
import { planEinsum, type EinsumPlan } from "./einsum-subscripts.js";
import { multiplyMatrices } from "./matrix-product.js";
import { empty, NDArray, shapeSize } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { transpose } from "./views.js";

export interface EinsumOptions {
  /** The dtype to compute and return in (NumPy's `dtype`); each operand must cast to it safely. */
  dtype?: DType | string;
}

interface Labelled {
  array: NDArray;
  labels: number[];
}

/** The result dtype: NumPy's promotion of the operands, or `requested` if every operand casts to it safely. */
export function einsumDtype(dtypes: readonly DType[], requested: DType | string | undefined): DType {
  if (requested === undefined) return dtypes.reduce((a, b) => promoteTypes(a, b));
  const dtype = toDType(requested);
  dtypes.forEach((from, i) => {
    // NumPy's safe casts are exactly those whose promotion is the target.
    if (promoteTypes(from, dtype) !== dtype) throw new InvalidOptionError(`einsum: operand ${i} dtype could not be cast from ${from} to ${dtype} according to the rule 'safe'`);
  });
  return dtype;
}

/** NumPy's view case: one operand, every label kept (a transpose or a diagonal, nothing summed). */
export function isSingleView(plan: EinsumPlan): boolean {
  return plan.inputs.length === 1 && plan.inputs[0].every((label) => plan.output.includes(label));
}

/** The operand with each label once: a repeated label's axes become one, stepping by their strides' sum. */
function diagonal(a: NDArray, labels: readonly number[]): Labelled {
  const unique: number[] = [];
  const shape: number[] = [];
  const strides: number[] = [];
  labels.forEach((label, axis) => {
    const at = unique.indexOf(label);
    if (at >= 0) {
      strides[at] += a.strides[axis];
      return;
    }
    unique.push(label);
    shape.push(a.shape[axis]);
    strides.push(a.strides[axis]);
  });
  return { array: new NDArray(a.storage, shape, { strides, offset: a.offset, dtype: a.dtype }), labels: unique };
}

/** Length-1 axes stretched (stride 0) to their label's length, as broadcasting does. */
function stretch({ array, labels }: Labelled, sizes: ReadonlyMap<number, number>): Labelled {
  const shape = labels.map((label) => sizes.get(label) as number);
  const strides = labels.map((label, axis) => (array.shape[axis] === shape[axis] ? array.strides[axis] : 0));
  return { array: new NDArray(array.storage, shape, { strides, offset: array.offset, dtype: array.dtype }), labels };
}

/** `a`'s axes ordered as `labels`, C-contiguous in `dtype`. */
function arranged(x: Labelled, labels: readonly number[], dtype: DType): NDArray {
  const moved = transpose(x.array, labels.map((label) => x.labels.indexOf(label)));
  return moved.dtype === dtype ? ascontiguousarray(moved) : astype(moved, dtype);
}

function ones(dtype: DType, n: number): NDArray {
  const array = empty([n], dtype);
  if (isComplexDType(dtype)) {
    const storage = array.storage as Float64Array;
    for (let i = 0; i < 2 * n; i += 2) storage[i] = 1;
    return array;
  }
  (array.data as { fill(value: number | bigint): unknown }).fill(dtypeInfo(dtype).array === BigInt64Array || dtypeInfo(dtype).array === BigUint64Array ? 1n : 1);
  return array;
}

const lengths = (labels: readonly number[], sizes: ReadonlyMap<number, number>): number[] => labels.map((label) => sizes.get(label) as number);

/** x with the labels `keep` lacks summed away: the (kept × dropped) matrix times a vector of ones. */
function sumAway(x: Labelled, keep: ReadonlySet<number>, sizes: ReadonlyMap<number, number>, dtype: DType): Labelled {
  const kept = x.labels.filter((label) => keep.has(label));
  const dropped = x.labels.filter((label) => !keep.has(label));
  if (dropped.length === 0) return x;
  const left = arranged(x, [...kept, ...dropped], dtype);
  const out = empty(lengths(kept, sizes), dtype);
  const k = shapeSize(lengths(dropped, sizes));
  multiplyMatrices(dtype, { data: left.storage, offset: left.offset }, { data: ones(dtype, k).storage, offset: 0 }, { data: out.storage, offset: 0 }, out.size, k, 1);
  return { array: out, labels: kept };
}

/**
 * x ⊗ y summed over the labels both have and `keep` lacks, as one matrix product per batch
 * index: batch labels (both, kept) first, then x's own labels, then y's. Each side's labels the
 * other lacks are all kept (sumAway ran first).
 */
function contractPair(x: Labelled, y: Labelled, keep: ReadonlySet<number>, sizes: ReadonlyMap<number, number>, dtype: DType): Labelled {
  const batch = x.labels.filter((label) => y.labels.includes(label) && keep.has(label));
  const contracted = x.labels.filter((label) => y.labels.includes(label) && !keep.has(label));
  const freeX = x.labels.filter((label) => !y.labels.includes(label));
  const freeY = y.labels.filter((label) => !x.labels.includes(label));
  const left = arranged(x, [...batch, ...freeX, ...contracted], dtype);
  const right = arranged(y, [...batch, ...contracted, ...freeY], dtype);
  const [nb, m, k, n] = [batch, freeX, contracted, freeY].map((labels) => shapeSize(lengths(labels, sizes)));
  const labels = [...batch, ...freeX, ...freeY];
  const out = empty(lengths(labels, sizes), dtype);
  for (let b = 0; b < nb; b++) {
    multiplyMatrices(dtype, { data: left.storage, offset: left.offset + b * m * k }, { data: right.storage, offset: right.offset + b * k * n }, { data: out.storage, offset: b * m * n }, m, k, n);
  }
  return { array: out, labels };
}

/** einsum over labels already read (the chunked einsum's block function calls this). */
export function einsumLabels(operands: readonly NDArray[], inputs: readonly number[][], output: readonly number[], dtype: DType, sizes: ReadonlyMap<number, number>): NDArray {
  const labelled = operands.map((array, i) => stretch(diagonal(array, inputs[i]), sizes));
  // The labels still needed after operand i is folded in: the output's and the later operands'.
  const neededAfter = (i: number): Set<number> => new Set([...output, ...labelled.slice(i + 1).flatMap((x) => x.labels)]);
  let current = sumAway(labelled[0], neededAfter(0), sizes, dtype);
  for (let i = 1; i < labelled.length; i++) {
    const next = sumAway(labelled[i], new Set([...neededAfter(i), ...current.labels]), sizes, dtype);
    current = contractPair(current, next, neededAfter(i), sizes, dtype);
  }
  const result = transpose(current.array, output.map((label) => current.labels.indexOf(label)));
  return result.dtype === dtype ? ascontiguousarray(result) : astype(result, dtype);
}

function splitArguments(rest: unknown[]): { operands: unknown[]; options: EinsumOptions } {
  const last = rest[rest.length - 1];
  // Only a plain object is options: anything else given last is an operand (and refused as one).
  if (typeof last === "object" && last !== null && Object.getPrototypeOf(last) === Object.prototype) return { operands: rest.slice(0, -1), options: last as EinsumOptions };
  return { operands: rest, options: {} };
}

export function checkEinsumOptions(options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new InvalidOptionError(`einsum: unknown option "${key}"; einsum takes ${allowed.join(", ")}`);
  }
}

/** NumPy's einsum(subscripts, *operands, dtype=None): a sum of products over labelled axes. */
export const einsum = defineBuiltin("ndarray.einsum", function einsum(subscripts: string, ...rest: Array<NDArray | EinsumOptions>): NDArray {
  const { operands, options } = splitArguments(rest);
  checkEinsumOptions(options, ["dtype"]);
  if (operands.length === 0) throw new InvalidOptionError("einsum: at least one operand is needed after the subscripts");
  operands.forEach((operand, i) => requireArray(operand, `einsum (operand ${i})`));
  const arrays = operands as NDArray[];
  const plan = planEinsum(subscripts, arrays.map((a) => a.shape));
  if (isSingleView(plan)) {
    const { array, labels } = diagonal(arrays[0], plan.inputs[0]);
    return transpose(array, plan.output.map((label) => labels.indexOf(label)));
  }
  const dtype = einsumDtype(arrays.map((a) => a.dtype), options.dtype);
  return einsumLabels(arrays, plan.inputs, plan.output, dtype, plan.sizes);
});
