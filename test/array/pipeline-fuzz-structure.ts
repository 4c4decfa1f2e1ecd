/**
 * The shape-changing part of the pipeline fuzzer's catalogue: axis permutations, squeeze /
 * expandDims, flip, roll, reshape, basic slicing (steps, negative steps, None, ellipsis,
 * integers), take, rechunk ("auto", dicts, explicit sizes), joining with itself, pad, repeat,
 * tile, diff — each as a tessera call and as the Dask expression that means the same.
 */
import * as ta from "../../src/array/index.js";
import { integer, pick, pyTuple, randomArray, randomChunks } from "./differential-inputs.js";
import { knownShape, next, pyList, type Operation } from "./pipeline-fuzz-stage.js";

const axisIn = (rng: () => number, ndim: number): number => integer(rng, -ndim, ndim - 1);
const shuffled = (rng: () => number, n: number): number[] => Array.from({ length: n }, (_, a) => a).sort(() => rng() - 0.5);

function sliceItem(rng: () => number, n: number, integers = true): { ours: ta.IndexItem; py: string } {
  const roll = rng();
  if (roll < 0.2) return { ours: ":", py: ":" };
  if (roll < 0.35 && n > 0 && integers) {
    const index = integer(rng, -n, n - 1);
    return { ours: index, py: String(index) };
  }
  const step = pick(rng, [1, 1, 2, 3, -1, -2, null]);
  const bound = (): number | null => (rng() < 0.3 ? null : integer(rng, -n - 2, n + 2));
  const stop = bound();
  let start = bound();
  // Dask 2022.12 reads a negative step's start below −n as −n (x[-5:0:-1] of 3 gives 2 elements; NumPy none).
  if (step !== null && step < 0 && start !== null && start < -n) start = -n;
  const show = (v: number | null): string => (v === null ? "" : String(v));
  return { ours: { start, stop, step }, py: `${show(start)}:${show(stop)}${step === null ? "" : `:${step}`}` };
}

export const structureOperations: readonly Operation[] = [
  {
    name: "transpose",
    unknownOk: true,
    apply({ rng }, s) {
      if (s.lazy.ndim < 2) return null;
      const axes = shuffled(rng, s.lazy.ndim);
      return next(s, () => s.lazy.transpose(axes), `da.transpose(${s.py}, ${pyList(axes)})`);
    },
  },
  {
    name: "moveaxis-swapaxes",
    apply({ rng }, s) {
      if (s.lazy.ndim < 2) return null;
      const [a, b] = [axisIn(rng, s.lazy.ndim), axisIn(rng, s.lazy.ndim)];
      return rng() < 0.5 ? next(s, () => ta.moveaxis(s.lazy, a, b), `da.moveaxis(${s.py}, ${a}, ${b})`) : next(s, () => ta.swapaxes(s.lazy, a, b), `da.swapaxes(${s.py}, ${a}, ${b})`);
    },
  },
  {
    name: "squeeze-expand",
    unknownOk: true,
    apply({ rng }, s) {
      const ones = s.lazy.shape.map((n, a) => (n === 1 ? a : -1)).filter((a) => a >= 0);
      if (ones.length > 0 && rng() < 0.6) {
        const axes = rng() < 0.4 ? null : ones.slice(0, integer(rng, 1, ones.length));
        return next(s, () => ta.squeeze(s.lazy, axes), `da.squeeze(${s.py}, ${axes === null ? "None" : pyTuple(axes)})`);
      }
      if (s.lazy.ndim >= 4) return null;
      const axis = integer(rng, -s.lazy.ndim - 1, s.lazy.ndim);
      // Dask 2022.12's expand_dims refuses unknown sizes (its reshape); its x[:, None] takes them, as tessera's expandDims does.
      const position = axis < 0 ? axis + s.lazy.ndim + 1 : axis;
      return next(s, () => ta.expandDims(s.lazy, axis), `(${s.py})[${[...new Array<string>(position).fill(":"), "None"].join(", ")}]`);
    },
  },
  {
    name: "flip-roll",
    apply({ rng }, s) {
      if (s.lazy.ndim === 0) return null;
      const axis = axisIn(rng, s.lazy.ndim);
      if (rng() < 0.5) return next(s, () => ta.flip(s.lazy, axis), `da.flip(${s.py}, ${axis})`);
      const shift = integer(rng, -40, 40);
      return rng() < 0.3 ? next(s, () => ta.roll(s.lazy, shift), `da.roll(${s.py}, ${shift})`) : next(s, () => ta.roll(s.lazy, shift, axis), `da.roll(${s.py}, ${shift}, ${axis})`);
    },
  },
  {
    name: "reshape",
    apply({ rng }, s) {
      const shape = s.lazy.shape;
      let target: number[];
      const roll = rng();
      if (roll < 0.25 || shape.length === 0) target = [-1];
      else if (roll < 0.5 && shape.length >= 2) {
        const a = integer(rng, 0, shape.length - 2);
        target = [...shape.slice(0, a), shape[a] * shape[a + 1], ...shape.slice(a + 2)];
      } else {
        const a = integer(rng, 0, shape.length - 1);
        const divisors = Array.from({ length: shape[a] }, (_, i) => i + 1).filter((d) => shape[a] % d === 0);
        if (divisors.length === 0 || shape.length >= 4) return null;
        const d = pick(rng, divisors);
        target = [...shape.slice(0, a), d, shape[a] / d, ...shape.slice(a + 1)];
      }
      return next(s, () => s.lazy.reshape(target), `(${s.py}).reshape(${pyTuple(target)})`);
    },
  },
  {
    name: "slice",
    apply({ rng }, s) {
      const items = s.lazy.shape.map((n) => sliceItem(rng, n));
      if (rng() < 0.3) items.splice(integer(rng, 0, items.length), 0, { ours: null, py: "None" });
      if (rng() < 0.3 && items.length > 0) {
        // An ellipsis in place of a run of ":" (possibly empty).
        const at = integer(rng, 0, items.length);
        let end = at;
        while (end < items.length && items[end].py === ":") end++;
        items.splice(at, end - at, { ours: "...", py: "..." });
      }
      if (items.length === 0) return null;
      return next(s, () => s.lazy.get(...items.map((i) => i.ours)), `(${s.py})[${items.map((i) => i.py).join(", ")}${items.length === 1 ? "," : ""}]`);
    },
  },
  {
    name: "take",
    apply({ rng }, s) {
      if (s.lazy.ndim === 0) return null;
      const axis = axisIn(rng, s.lazy.ndim);
      const n = s.lazy.shape[axis < 0 ? axis + s.lazy.ndim : axis];
      if (n === 0) return null;
      const indices = Array.from({ length: integer(rng, 1, 6) }, () => integer(rng, rng() < 0.2 ? -n : 0, n - 1));
      return next(s, () => ta.take(s.lazy, indices, { axis }), `da.take(${s.py}, ${pyList(indices)}, axis=${axis})`);
    },
  },
  {
    name: "integer-list-index",
    apply({ rng }, s) {
      if (s.lazy.ndim === 0) return null;
      const axis = integer(rng, 0, s.lazy.ndim - 1);
      const n = s.lazy.shape[axis];
      if (n === 0) return null;
      const indices = Array.from({ length: integer(rng, 0, 5) }, () => integer(rng, -n, n - 1));
      const items = s.lazy.shape.map((_, a): ta.IndexItem => (a === axis ? indices : ":"));
      const py = s.lazy.shape.map((_, a) => (a === axis ? pyList(indices) : ":")).join(", ");
      return next(s, () => s.lazy.get(...items), `(${s.py})[${py}${s.lazy.ndim === 1 ? "," : ""}]`);
    },
  },
  {
    name: "ravel",
    unknownOk: true,
    apply(_, s) {
      return next(s, () => ta.ravel(s.lazy), `da.ravel(${s.py})`);
    },
  },
  {
    name: "rechunk",
    apply({ rng }, s) {
      const shape = s.lazy.shape;
      if (shape.length === 0) return null;
      const roll = rng();
      let ours: ta.ChunkSpec;
      let py: string;
      if (roll < 0.15) [ours, py] = ["auto", "'auto'"];
      else if (roll < 0.3) {
        const size = integer(rng, 1, 7);
        [ours, py] = [size, String(size)];
      } else if (roll < 0.55) {
        const axis = integer(rng, 0, shape.length - 1);
        const size = pick(rng, [1, 2, 5, -1]);
        [ours, py] = [{ [axis]: size }, `{${axis}: ${size}}`];
      } else if (roll < 0.7) {
        // Per axis: a size, -1 (whole), null (kept) or explicit sizes.
        const entries = shape.map(() => pick(rng, [-1, null, integer(rng, 1, 6), "sizes"] as const)).map((e, a) => (e === "sizes" ? randomChunks(rng, shape[a]) : e));
        [ours, py] = [entries, pyTuple(entries.map((e) => (e === null ? "None" : Array.isArray(e) ? pyTuple(e) : String(e))))];
      } else {
        const chunks = shape.map((n) => randomChunks(rng, n));
        [ours, py] = [chunks, pyTuple(chunks.map((c) => pyTuple(c)))];
      }
      return next(s, () => s.lazy.rechunk(ours), `(${s.py}).rechunk(${py})`);
    },
  },
  {
    name: "join-itself",
    apply({ rng }, s) {
      if (s.lazy.ndim === 0 || s.lazy.ndim >= 4) return null;
      if (rng() < 0.5) {
        const axis = axisIn(rng, s.lazy.ndim);
        return next(s, () => ta.concatenate([s.lazy, s.lazy], axis), `da.concatenate([${s.py}, ${s.py}], axis=${axis})`);
      }
      const axis = integer(rng, -s.lazy.ndim - 1, s.lazy.ndim);
      return next(s, () => ta.stack([s.lazy, s.lazy], axis), `da.stack([${s.py}, ${s.py}], axis=${axis})`);
    },
  },
  {
    name: "join-other",
    apply({ rng, inputs }, s) {
      // Another array of its own dtype and chunks, differing from the stage along the join axis only.
      if (s.lazy.ndim === 0 || !knownShape(s)) return null;
      const axis = axisIn(rng, s.lazy.ndim);
      const a = axis < 0 ? axis + s.lazy.ndim : axis;
      const shape = s.lazy.shape.map((n, i) => (i === a ? integer(rng, 0, 7) : n));
      const dtype = pick(rng, ["bool", "int16", "uint16", "int64", "float32", "float64"] as const);
      const y = inputs.add(randomArray(rng, dtype, shape, { small: true }), shape.map((n) => randomChunks(rng, n)));
      const first = rng() < 0.5;
      const parts = first ? [y, null] : [null, y];
      return next(s, () => ta.concatenate(parts.map((p) => (p === null ? s.lazy : p.lazy())), axis), `da.concatenate([${parts.map((p) => (p === null ? s.py : p.py)).join(", ")}], axis=${axis})`, { plain: false });
    },
  },
  {
    name: "mixed-index",
    apply({ rng }, s) {
      // Slices, an integer list (repeats, negatives, unsorted) and a new axis in one index. No
      // integers beside the list: NumPy counts an integer as an advanced index there (x[1, :, [0]]
      // puts the broadcast axis first, shape (1, n)); Dask 2022.12 applies it first and keeps the
      // list's axis in place ((n, 1)). tessera follows NumPy.
      if (s.lazy.ndim < 2 || !knownShape(s) || s.lazy.shape.some((n) => n === 0)) return null;
      const listAxis = integer(rng, 0, s.lazy.ndim - 1);
      const n = s.lazy.shape[listAxis];
      const list = Array.from({ length: integer(rng, 1, 4) }, () => integer(rng, -n, n - 1));
      const items = s.lazy.shape.map((m, a) => (a === listAxis ? { ours: list as ta.IndexItem, py: pyList(list) } : sliceItem(rng, m, false)));
      if (rng() < 0.4) items.splice(integer(rng, 0, items.length), 0, { ours: null, py: "None" });
      return next(s, () => s.lazy.get(...items.map((i) => i.ours)), `(${s.py})[${items.map((i) => i.py).join(", ")}]`);
    },
  },
  {
    name: "pad",
    apply({ rng }, s) {
      if (s.lazy.ndim === 0) return null;
      const mode = pick(rng, ["constant", "edge", "reflect", "symmetric", "wrap"] as const);
      // Dask 2022.12 reflects and wraps no further than the axis (NumPy does): widths stay within it.
      const widths = s.lazy.shape.map((n) => [0, 1].map(() => (mode === "constant" || mode === "edge" ? integer(rng, 0, 4) : integer(rng, 0, Math.max(0, Math.min(4, mode === "reflect" ? n - 1 : n))))) as [number, number]);
      if (mode !== "constant" && s.lazy.shape.some((n, a) => n === 0 && (widths[a][0] > 0 || widths[a][1] > 0))) return null;
      const pyWidths = pyTuple(widths.map(([b, a]) => `(${b}, ${a})`));
      return next(s, () => ta.pad(s.lazy, widths, { mode }), `da.pad(${s.py}, ${pyWidths}, mode='${mode}')`);
    },
  },
  {
    name: "repeat-tile",
    apply({ rng }, s) {
      if (s.lazy.ndim === 0 || s.lazy.size > 3000) return null;
      if (rng() < 0.5) {
        const axis = axisIn(rng, s.lazy.ndim);
        const repeats = integer(rng, 1, 3);
        return next(s, () => ta.repeat(s.lazy, repeats, axis), `da.repeat(${s.py}, ${repeats}, axis=${axis})`);
      }
      const reps = Array.from({ length: integer(rng, 1, s.lazy.ndim) }, () => integer(rng, 1, 2));
      return next(s, () => ta.tile(s.lazy, reps), `da.tile(${s.py}, ${pyTuple(reps)})`);
    },
  },
  {
    name: "diff",
    apply({ rng }, s) {
      // Dask 2022.12 subtracts booleans (TypeError); tessera follows NumPy's diff (not_equal) there.
      if (s.lazy.ndim === 0 || s.lazy.dtype === "bool") return null;
      const axis = axisIn(rng, s.lazy.ndim);
      const n = integer(rng, 0, 2);
      return next(s, () => ta.diff(s.lazy, { n, axis }), `da.diff(${s.py}, n=${n}, axis=${axis})`, { plain: false });
    },
  },
];
