/**
 * The `axes` / `axis` / `keepdims` options of applyGufunc, validated and normalized as Dask
 * 2022.12's `_validate_normalize_axes` (NumPy's gufunc keywords): per input and per output, the
 * axes its core dimensions sit on (by default the last ones). `axis` is the short form for
 * signatures with one shared core dimension; `keepdims` (scalar outputs only) keeps the input's
 * core axes in each output with length 1. Each refusal carries Dask's message; where Dask
 * would fail with an IndexError or a transpose error, the refusal says what is wrong.
 */
import { InvalidOptionError } from "../core/errors.js";

export type AxesEntry = number | readonly number[];

export interface NormalizedAxes {
  inputAxes: number[][];
  outputAxes: number[][];
}

const sameDims = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const lastAxes = (count: number) => Array.from({ length: count }, (_, i) => i - count);

export function normalizeGufuncAxes(
  what: string, axes: readonly AxesEntry[] | undefined, axis: number | undefined, keepdims: boolean,
  inputCore: readonly string[][], outputCoreGiven: readonly string[][],
): NormalizedAxes {
  const nin = inputCore.length;
  const nout = outputCoreGiven.length;
  if (axes !== undefined && axis !== undefined) throw new InvalidOptionError(`${what}: Only one of \`axis\` or \`axes\` keyword arguments should be given`);
  if (axes !== undefined && !Array.isArray(axes)) throw new InvalidOptionError(`${what}: \`axes\` has to be of type list`);
  if (typeof keepdims !== "boolean") throw new InvalidOptionError(`${what}: keepdims must be true or false, got ${JSON.stringify(keepdims)}`);
  let outputCore = outputCoreGiven;
  const filtered = inputCore.filter((dims) => dims.length > 0);
  const outputsWithCoreDims = outputCore.filter((dims) => dims.length > 0).length;
  if (keepdims) {
    if (outputsWithCoreDims > 0) throw new InvalidOptionError(`${what}: \`keepdims\` can only be used for scalar outputs`);
    if (filtered.length === 0) throw new InvalidOptionError(`${what}: \`keepdims\` needs an input with core dimensions to keep`);
    outputCore = outputCore.map(() => filtered[0]);
  }
  const coreDims = [...inputCore, ...outputCore];
  if (axis !== undefined) {
    if (!Number.isSafeInteger(axis)) throw new InvalidOptionError(`${what}: \`axis\` argument has to be an integer value, got ${JSON.stringify(axis)}`);
    if (filtered.length > 0) {
      if (filtered[0].length !== 1) throw new InvalidOptionError(`${what}: \`axis\` can be used only, if one core dimension is present`);
      if (filtered.some((dims) => !sameDims(dims, filtered[0]))) throw new InvalidOptionError(`${what}: To use \`axis\`, all core dimensions have to be equal`);
    }
  }
  let entries: number[][];
  if (axes === undefined) entries = coreDims.map((dims) => (axis !== undefined ? (dims.length > 0 ? [axis] : []) : lastAxes(dims.length)));
  else {
    entries = axes.map((entry, i) => {
      const list = typeof entry === "number" ? [entry] : entry;
      if (!Array.isArray(list) || list.some((a) => !Number.isSafeInteger(a))) {
        throw new InvalidOptionError(`${what}: \`axes\` entry ${i} must be an integer or a list of integers, got ${JSON.stringify(entry)}`);
      }
      return [...list];
    });
  }
  if ((outputsWithCoreDims === 0 && entries.length !== nin && entries.length !== nin + nout) || (outputsWithCoreDims > 0 && entries.length !== nin + nout)) {
    throw new InvalidOptionError(`${what}: The number of \`axes\` entries is not equal the number of input and output arguments (${entries.length} entries for ${nin} inputs and ${nout} outputs)`);
  }
  const inputAxes = entries.slice(0, nin);
  let outputAxes = entries.slice(nin);
  if (outputAxes.length === 0) outputAxes = outputCore.map((dims) => lastAxes(dims.length));
  inputAxes.forEach((given, i) => {
    if (given.length !== inputCore[i].length) {
      throw new InvalidOptionError(`${what}: The number of \`axes\` entries for argument #${i} is not equal the number of respective input core dimensions in signature`);
    }
  });
  if (!keepdims) {
    outputAxes.forEach((given, i) => {
      if (given.length !== outputCore[i].length) {
        throw new InvalidOptionError(`${what}: The number of \`axes\` entries for argument #${i} is not equal the number of respective output core dimensions in signature`);
      }
    });
  } else if (nin > 0) {
    if (inputCore.some((dims) => !sameDims(dims, inputCore[0]))) throw new InvalidOptionError(`${what}: To use \`keepdims\`, all core dimensions have to be equal`);
    outputAxes = outputCore.map(() => [...inputAxes[0]]);
  }
  return { inputAxes, outputAxes };
}

/**
 * Dask's transposition of an input: its other axes in order, then the core axes in the order
 * given (so the core dimensions come last). Axes out of range or repeated are refused.
 */
export function inputPermutation(what: string, given: readonly number[], ndim: number, argument: number): number[] {
  const core = given.map((a) => {
    if (a < -ndim || a >= ndim) throw new InvalidOptionError(`${what}: \`axes\` entry ${a} of argument #${argument} is out of bounds for an array of ${ndim} dimensions`);
    return a < 0 ? a + ndim : a;
  });
  if (new Set(core).size !== core.length) throw new InvalidOptionError(`${what}: \`axes\` of argument #${argument} repeats an axis: ${JSON.stringify(given)}`);
  return [...Array.from({ length: ndim }, (_, a) => a).filter((a) => !core.includes(a)), ...core];
}

/**
 * Dask's transposition of an output whose core axes come last: the core axis k goes to
 * position given[k] (negative counts from the end), the loop axes fill the rest in order.
 * Returns the `transpose` argument (for each result axis, the source axis).
 */
export function outputPermutation(what: string, given: readonly number[], ndim: number, output: number): number[] {
  const slots: Array<number | null> = new Array<number | null>(ndim).fill(null);
  given.forEach((a, k) => {
    if (a < -ndim || a >= ndim) throw new InvalidOptionError(`${what}: \`axes\` entry ${a} of output #${output} is out of bounds for an output of ${ndim} dimensions`);
    const slot = a < 0 ? a + ndim : a;
    if (slots[slot] !== null) throw new InvalidOptionError(`${what}: \`axes\` of output #${output} repeats an axis: ${JSON.stringify(given)}`);
    slots[slot] = ndim - given.length + k;
  });
  let next = 0;
  return slots.map((source) => source ?? next++);
}
