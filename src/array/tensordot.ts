/**
 * Chunked tensordot, dot and outer (dask.array's tensordot graph). The contracted axes of a
 * and b are rechunked to the common refinement of their chunks (Dask's unify_chunks), then:
 *
 * 1. a blockwise step multiplies every block of a with every block of b that meets it along
 *    the contracted axes (one task per pair, tensordotPartial), each result keeping a's axes
 *    with the contracted ones as length-1 axes, one per block along them, followed by b's free
 *    axes (Dask's concatenate=False: no task ever holds a whole contracted axis);
 * 2. those partial products are summed over the contracted axes by the tree reduction of
 *    reductions.ts, so no task combines more than `splitEvery` partials (Dask's split_every,
 *    16 by default), however many blocks the contracted axes have.
 *
 * The sum accumulates in the result dtype, NumPy's promotion of the two dtypes, so int32 · int32
 * gives int32 wrapping as NumPy's (Dask's sum would give int64 here) and bool · bool gives bool.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { tensordotPartial } from "../ndarray/contraction-partials.js";
import { contractedAxes, dotAxes, type ContractedAxes, type TensordotAxes } from "../ndarray/tensordot.js";
import { multiply } from "../ndarray/arithmetic.js";
import { promoteTypes } from "../ndarray/promotion.js";
import { BlockwiseExpr } from "./blockwise.js";
import { isArrayNode, refineChunks } from "./broadcasting.js";
import { elementwiseNode } from "./elementwise.js";
import type { ArrayNode } from "./expr.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { rechunkNode } from "./rechunk.js";
import { reductionNode } from "./reductions.js";

export interface ContractionOptions {
  /** Partial products summed per task (Dask's split_every, default 16): an integer ≥ 2. */
  splitEvery?: number;
}

const tensordotPartialRef = functionRefOf(tensordotPartial);

/** Both operands must be lazy arrays: an NDArray is wrapped with fromArray first, a number is not a matrix. */
export function checkOperands(what: string, a: unknown, b: unknown): void {
  [a, b].forEach((operand, i) => {
    if (!isArrayNode(operand)) {
      throw new InvalidOptionError(`${what}: operand ${i === 0 ? "a" : "b"} must be a tessera/array Array (wrap an NDArray with fromArray), got ${String(operand)}`);
    }
    refuseUnknownSizes(operand, what);
  });
}

export function checkContractionOptions(what: string, options: ContractionOptions): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`${what}: options must be an object such as { splitEvery: 16 }, got ${JSON.stringify(options)}`);
  }
  refuseUnknownOptions(what, options, ["splitEvery"]);
  const { splitEvery } = options;
  if (splitEvery !== undefined && (typeof splitEvery !== "number" || !Number.isInteger(splitEvery) || splitEvery < 2)) {
    throw new InvalidOptionError(`${what}: splitEvery must be an integer ≥ 2 (partial products summed per task), got ${JSON.stringify(splitEvery)}`);
  }
}

/** The contraction of a and b over `axes` (already checked against their shapes). */
export function contractNodes(a: ArrayNode, b: ArrayNode, axes: ContractedAxes, options: ContractionOptions, what: string): ArrayNode {
  const { axesA, axesB } = axes;
  const dtype = promoteTypes(a.dtype, b.dtype);
  // Both sides of each contracted pair get the same chunks, so block i of a meets block i of b.
  const chunksA = a.chunks.map((sizes) => [...sizes]);
  const chunksB = b.chunks.map((sizes) => [...sizes]);
  axesA.forEach((axisA, i) => {
    const refined = refineChunks([a.chunks[axisA], b.chunks[axesB[i]]]);
    chunksA[axisA] = refined;
    chunksB[axesB[i]] = refined;
  });
  const left = rechunkNode(a, chunksA);
  const right = rechunkNode(b, chunksB);
  const freeB = b.shape.map((_, axis) => axis).filter((axis) => !axesB.includes(axis));
  // Output axis of each of b's axes: a contracted one meets a's axis, a free one follows a's axes.
  const outAxesB = b.shape.map((_, axis) => (axesB.includes(axis) ? axesA[axesB.indexOf(axis)] : a.shape.length + freeB.indexOf(axis)));
  const chunks = [...chunksA.map((sizes, axis) => (axesA.includes(axis) ? sizes.map(() => 1) : sizes)), ...freeB.map((axis) => chunksB[axis])];
  const partialOptions = { axesA, axesB };
  const partials: ArrayNode = {
    name: `${what}-partial-${tokenize(left.name, right.name, partialOptions)}`,
    shape: chunks.map((sizes) => sizes.reduce((sum, n) => sum + n, 0)),
    chunks,
    dtype,
    expr: new BlockwiseExpr(tensordotPartialRef, [{ array: left, axes: a.shape.map((_, axis) => axis) }, { array: right, axes: outAxesB }], partialOptions),
  };
  if (axesA.length === 0) return partials;
  const summed = reductionNode(partials, "sum", { axis: axesA, dtype, splitEvery: options.splitEvery });
  return { ...summed, name: `${what}-${tokenize(summed.name)}` };
}

/** NumPy's tensordot(a, b, axes = 2), chunked. */
export function tensordotNode(a: ArrayNode, b: ArrayNode, axes: TensordotAxes = 2, options: ContractionOptions = {}): ArrayNode {
  checkOperands("tensordot", a, b);
  checkContractionOptions("tensordot", options);
  return contractNodes(a, b, contractedAxes(a.shape, b.shape, axes), options, "tensordot");
}

/** NumPy's dot, chunked: a multiplication when either is 0-d, else tensordot over (last of a, second-to-last of b). */
export function dotNode(a: ArrayNode, b: ArrayNode, options: ContractionOptions = {}): ArrayNode {
  checkOperands("dot", a, b);
  checkContractionOptions("dot", options);
  const axes = dotAxes(a.shape, b.shape);
  return axes === null ? elementwiseNode(multiply, [a, b]) : contractNodes(a, b, axes, options, "dot");
}
