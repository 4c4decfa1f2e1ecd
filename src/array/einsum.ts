/**
 * Chunked einsum (dask.array's einsum graph). The subscripts are read as NumPy reads them
 * (ndarray/einsum-subscripts.ts), then:
 *
 * 1. every label's chunks are unified across the operands that span it (the common refinement,
 *    Dask's unify_chunks; an axis of length 1 broadcasting against a longer one stays one block,
 *    and a label repeated in one operand gives both its axes the same chunks, so that block i
 *    of each meets on the diagonal);
 * 2. a blockwise step over the output labels followed by the contracted ones (Dask's
 *    `out_ind + contract_inds`) runs einsum on one block of each operand, summing the
 *    contracted labels within the blocks and keeping a length-1 axis per contracted label,
 *    one per block along it (Dask's adjust_chunks={ind: 1});
 * 3. those partial sums are summed over the contracted axes by the tree reduction of
 *    reductions.ts, at most `splitEvery` partials per task (Dask's split_every, 16 by default).
 *
 * The sum accumulates in the result dtype (NumPy's promotion of the operands, or `dtype`), so
 * int32 operands give int32 wrapping as NumPy's einsum, where Dask's sum would give int64.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { einsumPartial, type EinsumPartialOptions } from "../ndarray/contraction-partials.js";
import { einsumDtype, isSingleView } from "../ndarray/einsum.js";
import { planEinsum } from "../ndarray/einsum-subscripts.js";
import type { DType } from "../ndarray/dtype.js";
import { BlockwiseExpr } from "./blockwise.js";
import { isArrayNode, refineChunks } from "./broadcasting.js";
import type { Chunks } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { rechunkNode } from "./rechunk.js";
import { reductionNode } from "./reductions.js";

export interface EinsumCallOptions {
  /** The dtype to compute and return in (NumPy's `dtype`); each operand must cast to it safely. */
  dtype?: DType | string;
  /** Partial sums combined per task (Dask's split_every, default 16): an integer ≥ 2. */
  splitEvery?: number;
}

const einsumPartialRef = functionRefOf(einsumPartial);

function checkOptions(options: EinsumCallOptions): void {
  refuseUnknownOptions("einsum", options, ["dtype", "splitEvery"]);
  const { splitEvery } = options;
  if (splitEvery !== undefined && (typeof splitEvery !== "number" || !Number.isInteger(splitEvery) || splitEvery < 2)) {
    throw new InvalidOptionError(`einsum: splitEvery must be an integer ≥ 2 (partial sums combined per task), got ${JSON.stringify(splitEvery)}`);
  }
}

export function einsumNode(subscripts: string, operands: readonly ArrayNode[], options: EinsumCallOptions = {}): ArrayNode {
  if (operands.length === 0) throw new InvalidOptionError("einsum: at least one operand is needed after the subscripts");
  operands.forEach((operand, i) => {
    if (!isArrayNode(operand)) throw new InvalidOptionError(`einsum: operand ${i} must be a tessera/array Array (wrap an NDArray with fromArray), got ${String(operand)}`);
  });
  checkOptions(options);
  const plan = planEinsum(subscripts, operands.map((operand) => operand.shape));
  // NumPy's view case (one operand, nothing summed) keeps the operand's dtype whatever `dtype` says.
  const dtype = isSingleView(plan) ? operands[0].dtype : einsumDtype(operands.map((operand) => operand.dtype), options.dtype);
  const labelChunks = new Map<number, number[]>();
  for (const [label, size] of plan.sizes) {
    const spanning = operands.flatMap((operand, i) => plan.inputs[i].flatMap((own, axis) => (own === label && operand.shape[axis] === size ? [operand.chunks[axis]] : [])));
    labelChunks.set(label, size === 1 || spanning.length === 0 ? [size] : refineChunks(spanning));
  }
  const rechunked = operands.map((operand, i) => rechunkNode(operand, plan.inputs[i].map((label, axis) => (operand.shape[axis] === plan.sizes.get(label) ? labelChunks.get(label) as number[] : [operand.shape[axis]]))));
  const contracted = [...new Set(plan.inputs.flat())].filter((label) => !plan.output.includes(label));
  const index = [...plan.output, ...contracted];
  const chunks: Chunks = [...plan.output.map((label) => labelChunks.get(label) as number[]), ...contracted.map((label) => (labelChunks.get(label) as number[]).map(() => 1))];
  const partialOptions: EinsumPartialOptions = { inputs: plan.inputs, output: plan.output, dtype, contracted: contracted.length };
  const partials: ArrayNode = {
    name: `einsum-partial-${tokenize(...rechunked.map((node) => node.name), partialOptions)}`,
    shape: chunks.map((sizes) => sizes.reduce((sum, n) => sum + n, 0)),
    chunks,
    dtype,
    expr: new BlockwiseExpr(einsumPartialRef, rechunked.map((array, i) => ({ array, axes: plan.inputs[i].map((label) => index.indexOf(label)) })), partialOptions as unknown as Record<string, unknown>),
  };
  if (contracted.length === 0) return partials;
  const axis = contracted.map((_, i) => plan.output.length + i);
  const summed = reductionNode(partials, "sum", { axis, dtype, splitEvery: options.splitEvery });
  return { ...summed, name: `einsum-${tokenize(summed.name)}` };
}
