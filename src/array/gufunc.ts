/**
 * dask.array's apply_gufunc (Dask 2022.12, gufunc.py): a function of core dimensions mapped
 * over the loop dimensions of chunked arrays, block by block.
 *
 * `ta.applyGufunc(fn, "(m,n),(n,p)->(m,p)", [a, b], options, fnOptions)` takes its function,
 * arrays and options as ta.mapBlocks does; fnOptions (Dask's **kwargs) is passed to fn as its
 * last argument. The steps are Dask's:
 * 1. the signature parsed (gufunc-signature.ts), `axes`/`axis`/`keepdims` normalized
 *    (gufunc-axes.ts) and each input transposed so that its core dimensions come last;
 * 2. the loop dimensions right-aligned across inputs (Dask's `__loopdim<d>__`); along every
 *    dimension the lengths must be equal or 1 (1 broadcasts); without `allowRechunk` a core
 *    dimension must be one chunk (checked, as Dask, on the first input that has it) and a loop
 *    dimension longer than 1 must be chunked alike in every input; with it the loop dimensions
 *    are unified (da.unify_chunks) and core dimensions are read whole per task (Dask
 *    concatenates their blocks);
 * 3. one task per block of the loop grid calls fn once on the inputs' blocks (core dimensions
 *    whole), each output taking its part (gufunc-output.ts): chunks are the loop chunks plus one
 *    chunk per output core dimension, whose sizes come from the inputs or `outputSizes`;
 * 4. outputs get `keepdims`' length-1 axes and are transposed to their `axes`.
 * Output dtypes are `outputDtypes`, else fn's on arrays of ones of shape (1, …, 1) (Dask's
 * apply_infer_dtype). `vectorize: true` wraps fn in np.vectorize with the signature
 * (gufunc-vectorize.ts). `meta` is refused: blocks are always NDArrays; give outputDtypes.
 *
 * Beyond Dask: each output block is checked (shape, count) and cast to the declared dtype;
 * outputSizes contradicting an input's size, or several dtypes for one output, are refused
 * (Dask builds wrong arrays from both). Unknown chunk sizes: one input may have them on loop
 * dimensions (its blocks map to the output's by index); unknown core sizes, several inputs
 * with unknown sizes, and moving axes of unknown sizes are refused (computeChunkSizes first).
 *
 * fn travels to the workers as mapBlocks' functions do (a built-in, a registered export, or a
 * self-contained function by its source); a vectorized fn travels by its source inside the
 * vectorizing block function, so it must be self-contained.
 */
import { builtinNameOf } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { toDType, type DType } from "../ndarray/dtype.js";
import { checkSendable } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import { BlockwiseExpr, type BlockwiseArg } from "./blockwise.js";
import { type AxesEntry, inputPermutation, normalizeGufuncAxes, outputPermutation } from "./gufunc-axes.js";
import { bytesPerLoopCell, gufuncOutputNodes } from "./gufunc-output.js";
import { type GufuncSignature, numpySignatureRefusal, parseGufuncSignature } from "./gufunc-signature.js";
import { vectorizedBlockFunction, vectorizedCall } from "./gufunc-vectorize.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { unifyChunks } from "./unify-chunks.js";
import { UnknownChunksError, hasUnknownChunks } from "./unknown-chunks.js";
import { unknownChunksMessage } from "./unknown-chunks-error.js";
import { userFunctionSource } from "./user-function-source.js";

export interface ApplyGufuncOptions {
  /** Per input (then per output) the axes of its core dimensions; an integer for one (Dask's axes). */
  axes?: AxesEntry[];
  /** The one axis of every input's single core dimension (Dask's axis). */
  axis?: number;
  /** Keep the inputs' core axes in the (scalar) outputs with length 1. */
  keepdims?: boolean;
  /** The dtype of the output, or a list of one per output; else found by running fn on a tiny block. */
  outputDtypes?: DType | string | ReadonlyArray<DType | string>;
  /** Sizes of output core dimensions that no input has. */
  outputSizes?: Record<string, number>;
  /** Apply fn to each loop element (np.vectorize with the signature). */
  vectorize?: boolean;
  /** Unify the loop dimensions' chunks and read multi-chunk core dimensions whole (may use much memory). */
  allowRechunk?: boolean;
}

/**
 * What applyGufunc returns for a signature: a list of arrays when the outputs are several (a
 * `)…,…(` after the `->`), one array for one output, either when the signature is not a literal.
 */
export type GufuncResult<S extends string> = string extends S ? LazyArray | LazyArray[]
  : S extends `${string}->${infer Outputs}` ? (Outputs extends `${string})${string},${string}(${string}` ? LazyArray[] : LazyArray) : LazyArray | LazyArray[];

export const applyGufuncOptionKeys = ["axes", "axis", "keepdims", "outputDtypes", "outputSizes", "vectorize", "allowRechunk"] as const;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type UserFunction = Function;

const pyDim = (dim: string) => `\`'${dim}'\``;

function checkBoolean(what: string, key: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new InvalidOptionError(`${what}: ${key} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function resultDtype(value: unknown, what: string): DType {
  if (value instanceof nd.NDArray) return value.dtype;
  if (typeof value === "number") return "float64";
  if (typeof value === "bigint") return "int64";
  if (typeof value === "boolean") return "bool";
  throw new InvalidOptionError(`${what}: the function returned ${value === null ? "null" : Array.isArray(value) ? "a list" : typeof value} where an NDArray was expected; give outputDtypes`);
}

/** Dask's apply_infer_dtype: fn on arrays of ones of shape (1, …, 1) of the inputs' dtypes. */
function inferOutputDtypes(call: (tiny: nd.NDArray[]) => unknown, arrays: readonly LazyArray[], signature: GufuncSignature, what: string): DType[] {
  const tiny = arrays.map((a) => nd.ones(new Array<number>(a.ndim).fill(1), a.dtype));
  let result: unknown;
  try {
    result = call(tiny);
  } catch (error) {
    throw new InvalidOptionError(`${what}: \`dtype\` inference failed in \`apply_gufunc\`. Please specify the dtype explicitly using the \`outputDtypes\` option. Original error: ${(error as Error).message}`, { cause: error });
  }
  if (result instanceof Promise) {
    void result.catch(() => {});
    throw new InvalidOptionError(`${what}: the function is asynchronous, so its output dtypes cannot be inferred; give outputDtypes`);
  }
  if (signature.nout === null) return [resultDtype(result, what)];
  if (!Array.isArray(result) || result.length !== signature.nout) {
    throw new InvalidOptionError(`${what}: For a function with ${signature.nout} outputs, the function must return a list of ${signature.nout} arrays, got ${Array.isArray(result) ? `a list of ${result.length}` : typeof result} on a tiny block`);
  }
  return result.map((value) => resultDtype(value, what));
}

/** The declared output dtypes, checked against the number of outputs as Dask checks them. */
function declaredDtypes(given: NonNullable<ApplyGufuncOptions["outputDtypes"]>, nout: number | null, what: string): DType[] {
  if (nout === null) {
    if (Array.isArray(given)) {
      if (given.length !== 1) throw new InvalidOptionError(`${what}: For a function with one output, must give a single item for \`outputDtypes\`, not a tuple or list.`);
      return [toDType(given[0] as string, `${what} outputDtypes`)];
    }
    return [toDType(given as string, `${what} outputDtypes`)];
  }
  if (!Array.isArray(given)) throw new InvalidOptionError(`${what}: For a function with ${nout} outputs, must give a tuple or list for \`outputDtypes\`, not a single item.`);
  if (given.length !== nout) throw new InvalidOptionError(`${what}: For a function with ${nout} outputs, must give a tuple or list of ${nout} items for \`outputDtypes\`, not ${given.length}.`);
  return given.map((dtype: string) => toDType(dtype, `${what} outputDtypes`));
}

function checkOutputSizes(given: unknown, what: string): Record<string, number> {
  if (given === undefined) return {};
  if (given === null || typeof given !== "object" || Array.isArray(given)) throw new InvalidOptionError(`${what}: outputSizes must map dimension names to sizes, such as { j: 4 }`);
  for (const [dim, size] of Object.entries(given)) {
    if (!Number.isSafeInteger(size) || (size as number) < 0) throw new InvalidOptionError(`${what}: outputSizes.${dim} must be a non-negative integer, got ${JSON.stringify(size)}`);
  }
  return { ...(given as Record<string, number>) };
}

/** A code point per dimension label, for unifyChunks' one-letter-per-axis index strings. */
function letterOf(labels: Map<string, string>, label: string): string {
  let letter = labels.get(label);
  if (letter === undefined) labels.set(label, (letter = String.fromCodePoint(0x4e00 + labels.size)));
  return letter;
}

/**
 * Dask's checks of every dimension label over the inputs that have it: lengths equal or 1;
 * without allowRechunk, a core dimension in one chunk (on the first input that has it, as
 * Dask) and a loop dimension longer than 1 chunked alike everywhere.
 */
function checkDimensions(what: string, args: readonly LazyArray[], labelss: readonly string[][], coreSizes: Record<string, number>, allowRechunk: boolean): void {
  const sizesOf = new Map<string, number[]>();
  const chunksOf = new Map<string, number[][]>();
  args.forEach((a, k) => labelss[k].forEach((label, axis) => {
    sizesOf.set(label, [...(sizesOf.get(label) ?? []), a.shape[axis]]);
    chunksOf.set(label, [...(chunksOf.get(label) ?? []), a.chunks[axis]]);
  }));
  for (const [label, sizes] of sizesOf) {
    // An unknown loop size (one input only) has nothing to agree with.
    if (sizes.some((n) => Number.isNaN(n))) continue;
    const largest = Math.max(...sizes);
    if (sizes.some((n) => n !== 1 && n !== largest)) throw new InvalidOptionError(`${what}: Dimension ${pyDim(label)} with different lengths in arrays (${sizes.join(", ")})`);
    if (allowRechunk) continue;
    const chunks = chunksOf.get(label) as number[][];
    if (label in coreSizes && chunks[0][0] < coreSizes[label]) {
      throw new InvalidOptionError(`${what}: Core dimension ${pyDim(label)} consists of multiple chunks. To fix, rechunk into a single chunk along this dimension or set \`allowRechunk: true\`, but beware that this may increase memory usage significantly.`);
    }
    const relevant = new Set(chunks.filter((_, i) => sizes[i] > 1).map((c) => c.join(",")));
    if (relevant.size > 1) throw new InvalidOptionError(`${what}: Dimension ${pyDim(label)} with different chunksize present`);
  }
}

export function applyGufunc<S extends string>(fn: UserFunction, signature: S, arrays: LazyArray | readonly LazyArray[], options: ApplyGufuncOptions = {}, fnOptions?: Record<string, unknown>): GufuncResult<S> {
  const what = "applyGufunc";
  if (options !== null && typeof options === "object" && "meta" in options) {
    throw new InvalidOptionError(`${what}: meta is not taken (tessera's blocks are always NDArrays); give the output dtypes as outputDtypes`);
  }
  refuseUnknownOptions(what, options, applyGufuncOptionKeys);
  if (typeof fn !== "function") throw new InvalidOptionError(`${what}: the first argument must be a function, got ${fn === null ? "null" : typeof fn}`);
  const sig = parseGufuncSignature(signature, what);
  const vectorize = checkBoolean(what, "vectorize", options.vectorize);
  const allowRechunk = checkBoolean(what, "allowRechunk", options.allowRechunk);
  const keepdims = checkBoolean(what, "keepdims", options.keepdims);
  if (fnOptions !== undefined && (fnOptions === null || typeof fnOptions !== "object" || Array.isArray(fnOptions))) {
    throw new InvalidOptionError(`${what}: the function's options (Dask's **kwargs) must be an object, got ${JSON.stringify(fnOptions)}`);
  }
  // Checked now, naming them: they travel with every task (a lazy array among them would otherwise fail only at compute, deep in the graph).
  if (fnOptions !== undefined) checkSendable(fnOptions, `${what}: the function's options`);
  if (vectorize && fnOptions !== undefined) {
    throw new InvalidOptionError(`${what}: with vectorize, np.vectorize takes further keyword arguments as more vectorized arguments and fails (wrong number of positional arguments); leave out the function's options or vectorize yourself`);
  }
  if (vectorize) {
    const refusal = numpySignatureRefusal(sig);
    if (refusal !== null) throw new InvalidOptionError(`${what}: vectorize: ${refusal}`);
  }
  const inputs = (Array.isArray(arrays) ? [...arrays] : [arrays]) as LazyArray[];
  inputs.forEach((a, k) => {
    if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what}: argument #${k} must be a chunked array (ta.Array); wrap an NDArray with ta.fromArray`);
  });
  if (inputs.length !== sig.inputs.length) {
    throw new InvalidOptionError(`${what}: According to \`signature\`, \`func\` requires ${sig.inputs.length} arguments, but ${inputs.length} given`);
  }
  // Unknown sizes (a boolean mask's result): one input's loop blocks map to the output's by
  // index; several inputs would have to be matched by size, and core sizes are needed.
  const unknown = inputs.find((a) => hasUnknownChunks(a.chunks));
  if (unknown !== undefined && inputs.length > 1) {
    throw new UnknownChunksError(`${unknownChunksMessage(what, unknown.name)}; with several inputs the loop dimensions are matched by their sizes`);
  }
  const outputSizes = checkOutputSizes(options.outputSizes, what);

  // The user's function, checked as mapBlocks checks it; vectorized, it travels inside ours.
  const block = vectorize ? vectorizedBlockFunction(userFunctionSource(fn, what, "the function"), what) : fn;
  const ref = functionRefOf(block);
  const spec = { inputs: sig.inputs, outputs: sig.outputs };
  const dtypes = options.outputDtypes !== undefined
    ? declaredDtypes(options.outputDtypes, sig.nout, what)
    : inferOutputDtypes((tiny) => (vectorize
      ? vectorizedCall(fn as (...args: unknown[]) => unknown, tiny, { ...spec, otypes: null })
      : (fn as (...args: unknown[]) => unknown)(...tiny, ...(fnOptions !== undefined ? [fnOptions] : []))), inputs, sig, what);

  const { inputAxes, outputAxes } = normalizeGufuncAxes(what, options.axes, options.axis, keepdims, sig.inputs, sig.outputs);
  const args = inputs.map((a, k) => {
    const order = inputPermutation(what, inputAxes[k], a.ndim, k);
    return order.every((axis, i) => axis === i) ? a : a.transpose(order);
  });

  // Loop dimensions right-aligned across inputs; labels as Dask's.
  const loopCounts = args.map((a, k) => {
    const count = a.ndim - sig.inputs[k].length;
    if (count < 0) throw new InvalidOptionError(`${what}: argument #${k} has ${a.ndim} dimensions, fewer than its core dimensions (${sig.inputs[k].join(", ")})`);
    return count;
  });
  const loopNdim = loopCounts.length > 0 ? Math.max(...loopCounts) : 0;
  const loopLabel = (d: number) => `__loopdim${d}__`;
  const labelss = args.map((_, k) => [...Array.from({ length: loopCounts[k] }, (__, j) => loopLabel(loopNdim - loopCounts[k] + j)), ...sig.inputs[k]]);
  if (unknown !== undefined && args[0].chunks.slice(loopCounts[0]).some((sizes) => sizes.some((n) => Number.isNaN(n)))) {
    throw new UnknownChunksError(`${unknownChunksMessage(what, unknown.name)}; its core dimensions (${sig.inputs[0].join(", ")}) need known sizes`);
  }
  const coreSizes: Record<string, number> = {};
  args.forEach((a, k) => sig.inputs[k].forEach((dim, i) => (coreSizes[dim] = a.shape[loopCounts[k] + i])));
  // Dask lets outputSizes override an input's size and builds an array whose blocks disagree with it.
  for (const [dim, size] of Object.entries(outputSizes)) {
    if (dim in coreSizes && coreSizes[dim] !== size) throw new InvalidOptionError(`${what}: outputSizes gives core dimension '${dim}' size ${size}, but the inputs have it with size ${coreSizes[dim]}`);
  }
  Object.assign(coreSizes, outputSizes);

  checkDimensions(what, args, labelss, coreSizes, allowRechunk);
  const outputCores = sig.outputs.map((dims) => dims.map((dim) => {
    if (!(dim in coreSizes)) throw new InvalidOptionError(`${what}: the output core dimension '${dim}' is not a core dimension of any input; give its size in outputSizes, such as { outputSizes: { ${dim}: 4 } }`);
    return coreSizes[dim];
  }));

  // Dask's blockwise(align_arrays=True): the loop dimensions' chunks unified; core axes get a
  // letter of their own per input (they are read whole, so their chunks need not agree).
  const letters = new Map<string, string>();
  const pairs = args.flatMap((a, k) => [a, labelss[k].map((label, axis) => letterOf(letters, axis < loopCounts[k] ? label : `${k}:${label}`)).join("")]);
  // One input is its own unification (and unifyChunks cannot take unknown sizes).
  const [common, unified] = args.length > 1 ? unifyChunks(...pairs) : [Object.fromEntries(labelss[0]?.map((label, axis) => [letterOf(letters, label), args[0].chunks[axis]]) ?? []), args];
  const loopChunks = Array.from({ length: loopNdim }, (_, d) => [...(common as Record<string, number[]>)[letterOf(letters, loopLabel(d))]]);
  const blockArgs: BlockwiseArg[] = (unified as LazyArray[]).map((array, k) => ({
    array, axes: array.shape.map((__, axis) => (axis < loopCounts[k] ? loopNdim - loopCounts[k] + axis : -1)),
  }));
  const callOptions = vectorize ? { ...spec, otypes: dtypes } : fnOptions;
  const call = new BlockwiseExpr(ref, blockArgs, callOptions);
  const fnName = (builtinNameOf(fn) ?? (fn.name || "apply-gufunc")).replace(/-/g, "_");
  const name = `${fnName}-${tokenize(ref, blockArgs.map((arg) => ("array" in arg ? arg.array.name : "")), callOptions, sig.text, dtypes, outputCores, loopChunks)}`;
  const count = sig.nout ?? 1;
  const gufuncCall = { call, name, loopChunks, count, what: `${what}(${fn.name || "anonymous"})`, bytesPerLoopCell: dtypes.reduce((n, dtype, i) => n + bytesPerLoopCell(dtype, outputCores[i]), 0) };
  const outputs = gufuncOutputNodes(gufuncCall, outputCores, dtypes, sig.nout === null).map((node, i) => {
    let leaf = LazyArray.of(node);
    const given = outputAxes[i];
    if (keepdims) leaf = leaf.get(...leaf.shape.map(() => ":" as const), ...given.map(() => null));
    const order = outputPermutation(what, given, leaf.ndim, i);
    return order.every((axis, j) => axis === j) ? leaf : leaf.transpose(order);
  });
  return (sig.nout === null ? outputs[0] : outputs) as GufuncResult<S>;
}
