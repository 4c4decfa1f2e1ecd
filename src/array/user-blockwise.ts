/**
 * ta.blockwise (Dask 2022.12's da.blockwise): the index-notation operator dask.array builds
 * its operations from. `args` alternates arrays and index strings (`x, "ij", y, "jk"`); an
 * index of null (or undefined) passes its value as it is (Dask's `(value, None)`; a lazy array
 * given so reaches every call whole, as Dask computes it as one dependency). The output
 * has one block per combination of its letters' blocks; a letter missing from the output is
 * contracted (user-blockwise-expr.ts says what the function gets). `fnOptions` (Dask's
 * **kwargs) is passed as the function's last argument when given, as mapBlocks passes it.
 *
 * Where this differs from Dask, it refuses instead of answering wrongly: alignArrays false
 * with chunks that differ along a letter (Dask pairs the blocks by position anyway), a dtype
 * that cannot be inferred (Dask falls back to float64), `meta` (no meta arrays here), arrays
 * of unknown chunk sizes (compute them first).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { builtinNameOf } from "../core/builtin.js";
import { functionRefOf } from "../graph/function-travel.js";
import { toDType, type DType } from "../ndarray/dtype.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { LazyArray } from "./array.js";
import { inferDtype, type MetaInput } from "./meta.js";
import { unifyChunks } from "./unify-chunks.js";
import { hasUnknownChunks } from "./unknown-chunks.js";
import { UserBlockwiseExpr, type IndexToken, type UserBlockwiseArg } from "./user-blockwise-expr.js";

export type { IndexToken } from "./user-blockwise-expr.js";
/** An index: a string of one letter per axis, or a list of tokens (Dask also takes tuples such as (0, 1)). */
export type BlockwiseIndex = string | readonly IndexToken[];
/** Dask's adjust_chunks value: every block's new size, a function of the old size, or the sizes themselves. */
export type AdjustChunk = number | ((size: number) => number) | readonly number[];

export interface BlockwiseOptions {
  dtype?: DType | string;
  /** The output's name, whole (Dask's name=); otherwise `<token or function name>-<hash>`. */
  name?: string;
  /** The name's prefix (Dask's token=). */
  token?: string;
  adjustChunks?: Record<string, AdjustChunk>;
  /** New output letters and their length (one block) or chunk sizes. */
  newAxes?: Record<string, number | readonly number[]>;
  /** Rechunk the arrays to common chunks per letter (default true, Dask's unify_chunks). */
  alignArrays?: boolean;
  /** Contracted letters: true, one array joined along them; false / undefined, nested lists of blocks. */
  concatenate?: boolean;
  meta?: unknown;
}

const optionNames = ["dtype", "name", "token", "adjustChunks", "newAxes", "alignArrays", "concatenate", "meta"];

function tokensOf(index: BlockwiseIndex, what: string): IndexToken[] {
  if (typeof index === "string") return [...index];
  if (Array.isArray(index) && index.every((t) => typeof t === "string" || (typeof t === "number" && Number.isInteger(t)))) return [...index];
  throw new InvalidOptionError(`${what} must be an index string such as "ij" or a list of index tokens, got ${JSON.stringify(index)}`);
}

function sizesOf(value: unknown, what: string): number[] {
  const sizes = typeof value === "number" ? [value] : value;
  if (!Array.isArray(sizes) || sizes.length === 0 || sizes.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new InvalidOptionError(`${what} must be a length or a list of chunk sizes (non-negative integers), got ${JSON.stringify(value)}`);
  }
  return sizes as number[];
}

/** Dask's adjust_chunks for one output letter. */
function adjusted(letter: IndexToken, axis: number, chunks: number[], adjust: unknown): number[] {
  const what = `blockwise: adjustChunks["${letter}"]`;
  let out: unknown[];
  if (typeof adjust === "function") out = chunks.map((n) => (adjust as (size: number) => unknown)(n));
  else if (typeof adjust === "number") out = chunks.map(() => adjust);
  else if (Array.isArray(adjust)) {
    if (adjust.length !== chunks.length) throw new InvalidOptionError(`blockwise: Dimension ${axis} has ${chunks.length} blocks, adjust_chunks specified with ${adjust.length} blocks`);
    out = [...adjust];
  } else throw new InvalidOptionError(`${what}: adjust_chunks values must be callable, int, or tuple, got ${JSON.stringify(adjust)}`);
  if (out.some((n) => !Number.isSafeInteger(n) || (n as number) < 0)) throw new InvalidOptionError(`${what} gave ${JSON.stringify(out)}; chunk sizes must be non-negative integers`);
  return out as number[];
}

/** Blocks per letter, Dask's broadcast_dimensions: one count, or 1 (broadcast) beside it. */
function blocksPerLetter(pairs: ReadonlyArray<{ array: LazyArray; index: IndexToken[] }>): Map<IndexToken, number> {
  const counts = new Map<IndexToken, Set<number>>();
  for (const { array, index } of pairs) index.forEach((letter, axis) => counts.set(letter, (counts.get(letter) ?? new Set()).add(array.chunks[axis].length)));
  const out = new Map<IndexToken, number>();
  for (const [letter, set] of counts) {
    const several = [...set].filter((n) => n !== 1);
    if (several.length > 1) throw new InvalidOptionError(`blockwise: Shapes do not align: index "${letter}" has ${[...set].join(" and ")} blocks in different arrays`);
    out.set(letter, several[0] ?? 1);
  }
  return out;
}

/** alignArrays false: the arrays must already share their chunks along each letter (a length-1 axis broadcasts). */
function requireAligned(pairs: ReadonlyArray<{ array: LazyArray; index: IndexToken[] }>): void {
  const seen = new Map<IndexToken, number[]>();
  for (const { array, index } of pairs) {
    index.forEach((letter, axis) => {
      if (array.shape[axis] === 1) return;
      const chunks = array.chunks[axis];
      const before = seen.get(letter);
      if (before === undefined) return void seen.set(letter, chunks);
      if (before.join() !== chunks.join()) {
        throw new InvalidOptionError(`blockwise: Chunks do not align along index "${letter}": ${JSON.stringify(before)} and ${JSON.stringify(chunks)} (alignArrays is false; pass alignArrays: true to rechunk them to common chunks)`);
      }
    });
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function blockwise(fn: Function, outInd: BlockwiseIndex, args: readonly unknown[], options: BlockwiseOptions = {}, fnOptions?: Record<string, unknown>): LazyArray {
  if (typeof fn !== "function") throw new InvalidOptionError(`blockwise: fn must be a function, got ${fn === null ? "null" : typeof fn}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`blockwise: options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownKeys(options, optionNames, "blockwise");
  if (options.meta !== undefined) throw new InvalidOptionError("blockwise: meta is not supported (tessera has no meta arrays); pass { dtype } for the result's dtype");
  if (fnOptions !== undefined && (fnOptions === null || typeof fnOptions !== "object" || Array.isArray(fnOptions))) throw new InvalidOptionError(`blockwise: fnOptions must be an object (Dask's **kwargs), got ${JSON.stringify(fnOptions)}`);
  const lazyOption = Object.entries(fnOptions ?? {}).find(([, value]) => value instanceof LazyArray);
  if (lazyOption) throw new InvalidOptionError(`blockwise: fnOptions.${lazyOption[0]} is a tessera array; pass it in args with an index (or the index null for all of it)`);
  for (const flag of ["alignArrays", "concatenate"] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== "boolean") throw new InvalidOptionError(`blockwise: ${flag} must be true or false, got ${JSON.stringify(options[flag])}`);
  }
  const outIndex = tokensOf(outInd, "blockwise: outInd");
  const repeated = outIndex.filter((letter, i) => outIndex.indexOf(letter) !== i);
  if (repeated.length > 0) throw new InvalidOptionError(`blockwise: Repeated elements not allowed in output index: ${JSON.stringify([...new Set(repeated)])}`);
  if (!Array.isArray(args) || args.length % 2 !== 0) throw new InvalidOptionError(`blockwise: args must alternate arrays and index strings ([x, "ij", y, "jk"]), got ${Array.isArray(args) ? `${args.length} items` : typeof args}`);

  const newAxes = new Map<string, number[]>();
  for (const [letter, size] of Object.entries(options.newAxes ?? {})) newAxes.set(letter, sizesOf(size, `blockwise: newAxes["${letter}"]`));
  let items: Array<{ value: unknown; index: IndexToken[] | null }> = [];
  for (let i = 0; i < args.length; i += 2) {
    const [value, index] = [args[i], args[i + 1]];
    if (index === null || index === undefined) {
      if (value instanceof LazyArray && hasUnknownChunks(value.chunks)) throw new InvalidOptionError(`blockwise: argument ${i} has unknown chunk sizes; call computeChunkSizes() first`);
      items.push({ value, index: null });
      continue;
    }
    if (!(value instanceof LazyArray)) throw new InvalidOptionError(`blockwise: argument ${i} has index ${JSON.stringify(index)} but is not a tessera array (ta.asarray wraps an NDArray; give a literal the index null)`);
    const tokens = tokensOf(index as BlockwiseIndex, `blockwise: the index of argument ${i}`);
    if (tokens.length !== value.ndim) throw new InvalidOptionError(`blockwise: Index string ${JSON.stringify(index)} does not match array dimension ${value.ndim}`);
    if (hasUnknownChunks(value.chunks)) throw new InvalidOptionError(`blockwise: argument ${i} has unknown chunk sizes; call computeChunkSizes() first`);
    if (tokens.some((letter) => newAxes.has(String(letter)))) throw new InvalidOptionError(`blockwise: newAxes names index ${JSON.stringify([...newAxes.keys()].filter((l) => tokens.some((t) => String(t) === l)))}, which argument ${i} already has`);
    items.push({ value, index: tokens });
  }
  const indexed = new Set(items.flatMap((item) => item.index ?? []));
  const unknown = outIndex.filter((letter) => !indexed.has(letter) && !newAxes.has(String(letter)));
  if (unknown.length > 0) throw new InvalidOptionError(`blockwise: Unknown dimension ${JSON.stringify(unknown)}: not in any argument's index nor in newAxes`);
  const unused = [...newAxes.keys()].filter((letter) => !outIndex.some((t) => String(t) === letter));
  if (unused.length > 0) throw new InvalidOptionError(`blockwise: newAxes names ${JSON.stringify(unused)}, which the output index ${JSON.stringify(outInd)} lacks`);

  if (options.alignArrays ?? true) {
    // Dask's unify_chunks: common chunks per letter, each array rechunked to them (tokens as
    // one character each, which unifyChunks's index strings need).
    const charOf = new Map([...indexed].map((letter, i) => [letter, String.fromCharCode(0xe000 + i)]));
    let unified: unknown[];
    try {
      [, unified] = unifyChunks(...items.flatMap((item) => (item.index === null ? [item.value, null] : [item.value, item.index.map((letter) => charOf.get(letter)).join("")])));
    } catch (error) {
      let message = (error as Error).message.replace(/^unifyChunks/, "blockwise");
      for (const [letter, char] of charOf) message = message.split(char).join(String(letter));
      throw new InvalidOptionError(message, { cause: error });
    }
    items = items.map((item, i) => ({ ...item, value: unified[i] }));
  }
  const pairs = items.flatMap((item) => (item.index === null ? [] : [{ array: item.value as LazyArray, index: item.index }]));
  if (!(options.alignArrays ?? true)) requireAligned(pairs);
  const blocksOf = blocksPerLetter(pairs);
  for (const [letter, sizes] of newAxes) blocksOf.set(outIndex.find((t) => String(t) === letter) as IndexToken, sizes.length);

  let chunks = outIndex.map((letter) => {
    const sizes = newAxes.get(String(letter));
    if (sizes !== undefined) return [...sizes];
    const from = pairs.find(({ array, index }) => index.includes(letter) && array.chunks[index.indexOf(letter)].length === blocksOf.get(letter)) as { array: LazyArray; index: IndexToken[] };
    return [...from.array.chunks[from.index.indexOf(letter)]];
  });
  const adjust = options.adjustChunks ?? {};
  if (adjust === null || typeof adjust !== "object") throw new InvalidOptionError(`blockwise: adjustChunks must be an object { index: size | function | sizes }, got ${JSON.stringify(adjust)}`);
  const strayAdjust = Object.keys(adjust).filter((letter) => !outIndex.some((t) => String(t) === letter));
  if (strayAdjust.length > 0) throw new InvalidOptionError(`blockwise: adjustChunks names ${JSON.stringify(strayAdjust)}, which the output index lacks`);
  chunks = chunks.map((sizes, axis) => (String(outIndex[axis]) in adjust ? adjusted(outIndex[axis], axis, sizes, (adjust as Record<string, unknown>)[String(outIndex[axis])]) : sizes));

  const concatenate = options.concatenate ?? false;
  const contracted = new Set([...indexed].filter((letter) => !outIndex.includes(letter)));
  const fnName = builtinNameOf(fn) ?? (fn.name || "blockwise");
  const dtype = options.dtype !== undefined ? toDType(options.dtype, "blockwise dtype") : inferBlockwiseDtype(fn, items, contracted, concatenate, fnOptions, fnName);
  const blockArgs: UserBlockwiseArg[] = items.map((item) => (item.index !== null ? { array: item.value as LazyArray, index: item.index } : item.value instanceof LazyArray ? { whole: item.value } : { value: item.value }));
  const ref = functionRefOf(fn);
  const name = options.name ?? `${options.token ?? fnName.replace(/^ndimage\.|^ndarray\./, "")}-${tokenize(ref, outIndex, items.map((item) => (item.value instanceof LazyArray ? [item.value.name, item.index] : ["literal", item.value])), dtype, fnOptions, chunks, concatenate)}`;
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  return new LazyArray(name, shape, chunks, dtype, new UserBlockwiseExpr(ref, outIndex, blockArgs, blocksOf, concatenate, fnOptions));
}

/**
 * The result dtype as Dask's compute_meta finds it: the function run on tiny blocks of the
 * inputs' dtypes (literals as they are). Where the call gets nested lists (contracted letters
 * without concatenate), each contracted axis is a list of one tiny block, so a function
 * written for lists runs too (Dask passes the bare meta there and falls back to float64).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function inferBlockwiseDtype(fn: Function, items: ReadonlyArray<{ value: unknown; index: IndexToken[] | null }>, contracted: ReadonlySet<IndexToken>, concatenate: boolean, fnOptions: Record<string, unknown> | undefined, fnName: string): DType {
  const inputs: Array<MetaInput | { value: unknown }> = items.map((item) => (item.value instanceof LazyArray ? { dtype: item.value.dtype, ndim: item.value.ndim } : { value: item.value }));
  const depths = items.map((item) => (concatenate || item.index === null ? 0 : item.index.filter((letter) => contracted.has(letter)).length));
  if (depths.every((d) => d === 0)) return inferDtype(fn, inputs, fnOptions, `blockwise(${fnName})`);
  const wrap = (value: unknown, depth: number): unknown => (depth === 0 ? value : [wrap(value, depth - 1)]);
  const listed = function (...tiny: unknown[]): unknown {
    return fn(...tiny.map((value, i) => (i < depths.length ? wrap(value, depths[i]) : value)));
  };
  return inferDtype(listed, inputs, fnOptions, `blockwise(${fnName})`);
}
