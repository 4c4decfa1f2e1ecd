/**
 * Cases for structure-differential.test.ts: each builds a lazy array from named NDArray inputs
 * and carries the NumPy expression (and, where Dask defines the chunks, the Dask expression)
 * that computes the same thing. Chains are drawn step by step on the shape tessera reports, so
 * a wrong shape shows up as a mismatch at the step that made it, not as a skipped case.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { parseIndex } from "../../src/array/index-parse.js";
import { seededRandom } from "../ndimage/helpers.js";

export interface Random {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
}

/** Seeded draws over the ndimage tests' mulberry32 (small, fast and the same everywhere). */
export function randomFrom(start: number): Random {
  const next = seededRandom(start);
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

export type Inputs = Record<string, nd.NDArray>;

export interface Case {
  label: string;
  build: (inputs: Inputs) => ta.Array;
  numpy: string;
  dask?: string;
  /** tessera's documented refusals of what NumPy accepts (pointwise fancy indexing). */
  refusalAllowed?: RegExp;
  /** What an error must name (default: an index, axis, shape or size). */
  errorNames?: RegExp;
}

export type DType = "int32" | "float64" | "uint16" | "bool";
const dtypes: readonly DType[] = ["int32", "float64", "uint16", "bool"];

export function dataOf(dtype: nd.DType, shape: number[], seed: number): nd.NDArray {
  const uniform = nd.random(shape, { seed });
  if (dtype === "bool") return nd.greater(uniform, 0.5);
  if (dtype === "float64") return nd.subtract(nd.multiply(uniform, 200), 100);
  if (dtype === "uint16") return nd.astype(nd.multiply(uniform, 65535), dtype);
  if (dtype === "int32") return nd.astype(nd.subtract(nd.multiply(uniform, 2e6), 1e6), dtype);
  return nd.astype(nd.subtract(nd.multiply(uniform, 200), 100), dtype);
}

/** Python's spelling of a JSON-like value (null → None, true → True). */
export function py(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `(${value.map(py).join(", ")}${value.length === 1 ? "," : ""})`;
  if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${k}: ${py(v)}`).join(", ")}}`;
  return JSON.stringify(value);
}

function axisChunks(random: Random, n: number): number | number[] {
  if (n === 0) return random.pick([1, [0]]);
  const kind = random.next();
  if (kind < 0.4) return random.int(1, Math.max(1, Math.ceil(n / 3)));
  if (kind < 0.8) {
    const sizes: number[] = [];
    for (let left = n; left > 0;) {
      const size = random.next() < 0.05 ? 0 : random.int(1, Math.min(left, 5));
      sizes.push(size);
      left -= size;
    }
    return sizes;
  }
  return random.pick([-1, n]);
}

export function randomShape(random: Random, ndim: number): number[] {
  const shape = Array.from({ length: ndim }, () => random.pick([0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12, 23]));
  // Keep the element count small; a 4-d case has short axes.
  while (shape.reduce((a, b) => a * b, 1) > 600) shape[random.int(0, ndim - 1)] = random.int(1, 4);
  return shape;
}

/** A new input array with random chunks: its tessera array and Dask's spelling. */
function newInput(random: Random, inputs: Inputs, name: string, shape: number[], dtype: DType): { x: ta.Array; numpy: string; dask: string } {
  inputs[name] = dataOf(dtype, shape, random.int(1, 1e6));
  const chunks = shape.map((n) => axisChunks(random, n));
  const x = ta.fromArray(inputs[name], { chunks });
  return { x, numpy: name, dask: `da.from_array(${name}, chunks=${py(x.chunks)})` };
}

function randomIndexValue(random: Random, n: number, outOfRange = 0.04): number {
  if (random.next() < outOfRange) return random.pick([n, n + 3, -n - 1, -n - 7]);
  if (n === 0) return random.pick([0, -1]);
  return random.int(-n, n - 1);
}

function bound(random: Random, n: number): number | undefined {
  const r = random.next();
  if (r < 0.3) return undefined;
  if (r < 0.38) return random.pick([1e15, -1e15, 2 ** 40, -(2 ** 40)]);
  return random.int(-n - 3, n + 3);
}

interface Drawn { item: ta.IndexItem; python: string; axes: number; advanced: boolean }

/** One index item consuming the axes from `axis` on. */
function drawItem(random: Random, inputs: Inputs, shape: readonly number[], axis: number, name: string, advancedAllowed: boolean): Drawn {
  const n = shape[axis];
  const r = random.next();
  if (r < 0.22) {
    const value = randomIndexValue(random, n);
    return { item: value, python: String(value), axes: 1, advanced: false };
  }
  if (r < 0.32) return { item: ":", python: ":", axes: 1, advanced: false };
  if (r < 0.75 || !advancedAllowed) {
    const start = bound(random, n);
    const stop = bound(random, n);
    const step = random.pick([undefined, 1, 2, 3, -1, -1, -2, -3, -5, n + 1, -(n + 2)]);
    const spec: { start?: number; stop?: number; step?: number } = {};
    if (start !== undefined) spec.start = start;
    if (stop !== undefined) spec.stop = stop;
    if (step !== undefined) spec.step = step;
    const python = `${start ?? ""}:${stop ?? ""}${step === undefined ? "" : `:${step}`}`;
    return { item: spec, python, axes: 1, advanced: false };
  }
  if (r < 0.85) {
    const count = random.int(0, 6);
    const values = Array.from({ length: count }, () => randomIndexValue(random, n, 0.03));
    if (random.next() < 0.3) values.sort((a, b) => a - b);
    if (random.next() < 0.25) {
      const dtype = random.pick(["int32", "int64", "uint8"] as const);
      inputs[name] = nd.array(values, { dtype: dtype === "uint8" && values.some((v) => v < 0 || v > 255) ? "int32" : dtype });
      return { item: inputs[name], python: name, axes: 1, advanced: true };
    }
    return { item: values, python: count === 0 ? "np.array([], dtype=np.intp)" : `[${values.join(", ")}]`, axes: 1, advanced: true };
  }
  // A mask over one axis (a list) or over several (an NDArray), rarely of the wrong length.
  const span = random.next() < 0.6 ? 1 : random.int(1, shape.length - axis);
  const maskShape = shape.slice(axis, axis + span).map((m) => (random.next() < 0.03 ? m + 1 : m));
  const mask = nd.greater(nd.random(maskShape, { seed: random.int(1, 1e6) }), random.pick([0.2, 0.5, 0.9]));
  if (span === 1 && random.next() < 0.5) {
    const list = Array.from(mask.toTypedArray() as Uint8Array, (v) => v !== 0);
    return { item: list, python: `np.array(${py(list).replace(/^\((.*?),?\)$/, "[$1]")}, dtype=bool)`, axes: 1, advanced: true };
  }
  inputs[name] = mask;
  return { item: mask, python: name, axes: span, advanced: true };
}

/** A random NumPy index for `shape`: items, newaxes, maybe an ellipsis, at most one advanced index (none if `basicOnly`). */
export function drawIndex(random: Random, inputs: Inputs, shape: readonly number[], name: string, basicOnly = false): { items: ta.IndexItem[]; python: string } {
  const items: ta.IndexItem[] = [];
  const python: string[] = [];
  const target = random.next() < 0.15 ? shape.length + 1 : random.int(0, shape.length);
  let axis = 0;
  let advanced = false;
  const ellipsisAt = random.next() < 0.2 ? random.int(0, target) : -1;
  for (let k = 0; axis < Math.min(target, shape.length) || k === ellipsisAt; k++) {
    if (k === ellipsisAt) {
      items.push("...");
      python.push("...");
    }
    if (random.next() < 0.12) {
      items.push(null);
      python.push("None");
    }
    if (axis >= Math.min(target, shape.length)) break;
    const drawn = drawItem(random, inputs, shape, axis, `${name}_${k}`, !advanced && !basicOnly);
    advanced ||= drawn.advanced;
    items.push(drawn.item);
    python.push(drawn.python);
    axis += drawn.axes;
  }
  if (target > shape.length) {
    // One index too many: NumPy raises.
    items.push(0);
    python.push("0");
  }
  return { items, python: python.length === 0 ? "()" : python.join(", ") };
}

export function permutation(random: Random, ndim: number): number[] {
  const order = Array.from({ length: ndim }, (_, a) => a);
  for (let i = ndim - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.map((a) => (random.next() < 0.3 ? a - ndim : a));
}

export function newShape(random: Random, shape: readonly number[]): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const r = random.next();
  if (r < 0.15) return [-1];
  if (r < 0.2) return [size + 1];
  if (r < 0.45 && shape.length >= 2) {
    const a = random.int(0, shape.length - 2);
    return [...shape.slice(0, a), shape[a] * shape[a + 1], ...shape.slice(a + 2)];
  }
  if (r < 0.7 && shape.length > 0) {
    const a = random.int(0, shape.length - 1);
    const divisors = [1, 2, 3, 4, 6].filter((d) => shape[a] % d === 0 && d <= shape[a]);
    const d = random.pick(divisors.length ? divisors : [1]);
    const split = shape[a] === 0 ? [0, d] : [d, shape[a] / d];
    const out = [...shape.slice(0, a), ...split, ...shape.slice(a + 1)];
    if (random.next() < 0.3 && size > 0) out[random.int(0, out.length - 1)] = -1;
    return out;
  }
  if (r < 0.85) return [...shape, 1].sort(() => (random.next() < 0.5 ? -1 : 1));
  // Any factorisation of the size (across chunk boundaries, not axis merges).
  const out: number[] = [];
  let left = size;
  for (const d of [2, 3, 5, 2, 7]) if (left > 0 && left % d === 0 && random.next() < 0.6) { out.push(d); left /= d; }
  return [...out, left];
}

function rechunkSpec(random: Random, shape: readonly number[]): ta.ChunkSpec {
  const r = random.next();
  if (r < 0.2) return random.int(1, 7);
  if (r < 0.3) return "auto";
  if (r < 0.55 && shape.length > 0) {
    const spec: Record<number, number> = {};
    const axis = random.int(0, shape.length - 1);
    spec[random.next() < 0.3 ? axis - shape.length : axis] = random.pick([-1, 1, 2, 5]);
    return spec;
  }
  return shape.map((n) => {
    const choice = random.next();
    if (choice < 0.2) return null;
    if (choice < 0.35) return -1;
    const c = axisChunks(random, n);
    return typeof c === "number" ? c : c;
  });
}

type Step = { x: ta.Array; numpy: string; dask: string | undefined };
type Planned = { apply: () => ta.Array; numpy: string; dask: string | undefined; refused?: string };

/**
 * One structural step on `state` (get, transpose, reshape, rechunk or squeeze): the Python
 * twins are written before tessera builds the step, so a step tessera refuses still has them.
 */
function planStep(random: Random, inputs: Inputs, state: Step, name: string): Planned {
  const { x } = state;
  const r = random.next();
  const dask = (suffix: string) => (state.dask === undefined ? undefined : `(${state.dask})${suffix}`);
  if (r < 0.45) {
    const { items, python } = drawIndex(random, inputs, x.shape, name);
    let movesFirst = false;
    try {
      movesFirst = parseIndex(items, x.shape).advancedFirst;
    } catch {
      // refused: apply() throws the same error
    }
    // Dask keeps the selected axis in place where NumPy moves it first: its chunks differ from then on.
    return { apply: () => x.get(...items), numpy: `(${state.numpy})[${python}]`, dask: movesFirst ? undefined : dask(`[${python}]`) };
  }
  if (r < 0.6) {
    if (random.next() < 0.2) return { apply: () => x.transpose(), numpy: `(${state.numpy}).transpose()`, dask: dask(".transpose()") };
    const order = permutation(random, x.ndim);
    if (random.next() < 0.05 && x.ndim > 1) order[0] = order[1];
    return { apply: () => x.transpose(order), numpy: `(${state.numpy}).transpose(${py(order)})`, dask: dask(`.transpose(${py(order)})`) };
  }
  if (r < 0.78) {
    const shape = newShape(random, x.shape);
    // tessera drops empty chunks before planning a reshape (reshape.ts); Dask plans with them.
    const emptyChunks = x.size > 0 && x.chunks.some((sizes) => sizes.includes(0));
    return { apply: () => x.reshape(shape), numpy: `(${state.numpy}).reshape(${py(shape)})`, dask: emptyChunks ? undefined : dask(`.reshape(${py(shape)})`) };
  }
  if (r < 0.95) {
    const spec = rechunkSpec(random, x.shape);
    // NumPy has no rechunk: if tessera refuses the spec, Dask must refuse it too.
    const refused = state.dask === undefined ? undefined : `(${state.dask}).rechunk(${py(spec)})`;
    return { apply: () => x.rechunk(spec), numpy: state.numpy, refused, dask: dask(`.rechunk(${py(spec)})`) };
  }
  if (r < 0.975) {
    // An elementwise step against differently chunked data: regions read through the views above.
    const other = newInput(random, inputs, name, [...x.shape], x.dtype as DType);
    return { apply: () => x.add(other.x), numpy: `(${state.numpy}) + ${name}`, dask: state.dask === undefined ? undefined : `(${state.dask}) + ${other.dask}` };
  }
  return { apply: () => x.squeeze(), numpy: `(${state.numpy}).squeeze()`, dask: dask(".squeeze()") };
}

/** The step applied; a refusal comes back as the error, with the step's Python twins. */
export function drawStep(random: Random, inputs: Inputs, state: Step, name: string): { state: Step; error?: Error } {
  const planned = planStep(random, inputs, state, name);
  try {
    return { state: { x: planned.apply(), numpy: planned.numpy, dask: planned.dask } };
  } catch (error) {
    return { state: { x: state.x, numpy: planned.refused ?? planned.numpy, dask: undefined }, error: error as Error };
  }
}

function finish(random: Random, state: Step, label: string, error: Error | undefined): Case {
  let { x, numpy, dask } = state;
  if (!error && random.next() < 0.2) {
    const axis = x.ndim > 0 && random.next() < 0.5 ? random.int(-x.ndim, x.ndim - 1) : undefined;
    try {
      x = axis === undefined ? x.sum() : x.sum({ axis });
    } catch (thrown) {
      error = thrown as Error;
    }
    numpy = `np.sum(${numpy}${axis === undefined ? "" : `, axis=${axis}`})`;
    dask = undefined;
  }
  const built = x;
  return {
    label, numpy, dask, refusalAllowed: /not supported/,
    build: () => {
      if (error) throw error;
      return built;
    },
  };
}

export function drawChainCase(random: Random, inputs: Inputs, name: string): Case {
  const ndim = random.int(1, 4);
  const dtype = random.pick(dtypes);
  let state: Step = newInput(random, inputs, name, randomShape(random, ndim), dtype);
  const steps = random.int(1, 3);
  let error: Error | undefined;
  for (let s = 0; s < steps && !error; s++) ({ state, error } = drawStep(random, inputs, state, `${name}_${s}`));
  return finish(random, state, `${name} ${dtype} [${inputs[name].shape.join(", ")}]`, error);
}

export function drawJoinCase(random: Random, inputs: Inputs, name: string): Case {
  const ndim = random.int(1, 3);
  const base = randomShape(random, ndim);
  const stack = random.next() < 0.35;
  const axis = stack ? random.int(-(ndim + 1), ndim) : random.int(-ndim, ndim - 1);
  const count = random.int(1, 3);
  const parts = Array.from({ length: count }, (_, i) => {
    const shape = [...base];
    if (!stack) shape[axis < 0 ? axis + ndim : axis] = random.int(0, 6);
    if (random.next() < 0.05) shape[random.int(0, ndim - 1)] += 1;
    return newInput(random, inputs, `${name}_${i}`, shape, random.pick(dtypes));
  });
  const fn = stack ? "stack" : "concatenate";
  let state: Step;
  let error: Error | undefined;
  const numpy = `np.${fn}([${parts.map((p) => p.numpy).join(", ")}], axis=${axis})`;
  const dask = `da.${fn}([${parts.map((p) => p.dask).join(", ")}], axis=${axis})`;
  try {
    state = { x: stack ? ta.stack(parts.map((p) => p.x), axis) : ta.concatenate(parts.map((p) => p.x), axis), numpy, dask };
    if (random.next() < 0.4) ({ state, error } = drawStep(random, inputs, state, `${name}_s`));
  } catch (thrown) {
    error = thrown as Error;
    state = { x: parts[0].x, numpy, dask: undefined };
  }
  return finish(random, state, `${name} ${fn} axis ${axis} of ${parts.map((p) => `${p.x.dtype}[${p.x.shape.join(", ")}]`).join(" + ")}`, error);
}
