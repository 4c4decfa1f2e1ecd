/**
 * Hand-picked cases for structure-differential.test.ts: size-0 and size-1 axes, huge slice
 * bounds, out-of-range indices, many blocks, empty chunks, and the joins that found bugs.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { dataOf, py, type Case, type DType, type Inputs } from "./structure-cases.js";

/** A hand-picked case: `op` on an input of the given dtype, shape and chunks; `python` on its name. */
function corner(inputs: Inputs, name: string, dtype: DType, shape: number[], chunks: ta.ChunkSpec, op: (x: ta.Array) => ta.Array, python: (x: string) => string, errorNames?: RegExp): Case {
  inputs[name] = dataOf(dtype, shape, name.length * 7919 + shape.length);
  const x = ta.fromArray(inputs[name], { chunks });
  const dask = `da.from_array(${name}, chunks=${py(x.chunks)})`;
  return { label: `${name}: ${python("x")}`, numpy: python(name), dask: python(dask), build: () => op(x), errorNames };
}

/** A hand-picked join of inputs given as [dtype, shape, chunks]. */
function joinCorner(inputs: Inputs, name: string, fn: "concatenate" | "stack", axis: number, parts: Array<[DType, number[], ta.ChunkSpec]>): Case {
  const arrays = parts.map(([dtype, shape, chunks], i) => {
    inputs[`${name}_${i}`] = dataOf(dtype, shape, 31 * i + shape.length);
    return ta.fromArray(inputs[`${name}_${i}`], { chunks });
  });
  const names = arrays.map((_, i) => `${name}_${i}`);
  return {
    label: `${name}: ${fn} axis ${axis} of ${parts.map(([dtype, shape]) => `${dtype}[${shape.join(", ")}]`).join(" + ")}`,
    numpy: `np.${fn}([${names.join(", ")}], axis=${axis})`,
    dask: `da.${fn}([${arrays.map((x, i) => `da.from_array(${names[i]}, chunks=${py(x.chunks)})`).join(", ")}], axis=${axis})`,
    build: () => (fn === "stack" ? ta.stack(arrays, axis) : ta.concatenate(arrays, axis)),
  };
}

export function cornerCases(inputs: Inputs): Case[] {
  const huge = 1e15;
  const m = (mask: boolean[]) => `np.array(${py(mask).replace(/^\((.*?),?\)$/, "[$1]")}, dtype=bool)`;
  return [
    corner(inputs, "k0", "float64", [0, 5], [1, 2], (x) => x.get({ step: -1 }, { start: 1, step: 2 }), (x) => `${x}[::-1, 1::2]`),
    corner(inputs, "k1", "int32", [0, 5], [1, 2], (x) => x.get(0), (x) => `${x}[0]`),
    corner(inputs, "k2", "int32", [0, 5], [1, 2], (x) => x.get([]), (x) => `${x}[np.array([], dtype=np.intp)]`),
    corner(inputs, "k3", "int32", [0, 5], [1, 2], (x) => x.get(":", [4, -5, 0]), (x) => `${x}[:, [4, -5, 0]]`),
    corner(inputs, "k4", "uint16", [1, 1, 7], [1, 1, 2], (x) => x.get(-1, { start: huge, stop: -huge, step: -1 }, { start: -huge, stop: huge, step: 3 }), (x) => `${x}[-1, ${huge}:${-huge}:-1, ${-huge}:${huge}:3]`),
    corner(inputs, "k5", "uint16", [1, 7], [1, 2], (x) => x.get({ start: huge }), (x) => `${x}[${huge}:]`),
    corner(inputs, "k6", "float64", [40], 3, (x) => x.get({ step: -7 }), (x) => `${x}[::-7]`),
    corner(inputs, "k7", "float64", [40], [[3, 1, 4, 0, 2, 2, 2, 9, 1, 1, 5, 10]], (x) => x.get({ start: 37, stop: 2, step: -3 }), (x) => `${x}[37:2:-3]`),
    corner(inputs, "k8", "float64", [40], 3, (x) => x.get({ start: 30, stop: 5 }), (x) => `${x}[30:5]`),
    corner(inputs, "k9", "int32", [40], 3, (x) => x.get({ step: 41 }), (x) => `${x}[::41]`),
    corner(inputs, "k10", "int32", [3], 2, (x) => x.get(3), (x) => `${x}[3]`),
    corner(inputs, "k11", "int32", [3], 2, (x) => x.get(-4), (x) => `${x}[-4]`),
    corner(inputs, "k12", "int32", [3, 4], 2, (x) => x.get(":", [0, 4]), (x) => `${x}[:, [0, 4]]`),
    corner(inputs, "k13", "int32", [3, 4], 2, (x) => x.get(":", [-5]), (x) => `${x}[:, [-5]]`),
    corner(inputs, "k14", "bool", [3, 4], 2, (x) => x.get(null, "...", null, 1, null), (x) => `${x}[None, ..., None, 1, None]`),
    corner(inputs, "k15", "bool", [30, 4], [3, 2], (x) => x.get([29, 0, 29, 3, 3, -30, 15]), (x) => `${x}[[29, 0, 29, 3, 3, -30, 15]]`),
    corner(inputs, "k16", "float64", [6, 4], [[3, 1, 2], [2, 2]], (x) => x.get([true, false, true, true, false, true]), (x) => `${x}[${m([true, false, true, true, false, true])}]`),
    corner(inputs, "k17", "float64", [6, 4], [[3, 1, 2], [2, 2]], (x) => x.get(1, { step: -1 }).get([3, 0]), (x) => `${x}[1, ::-1][[3, 0]]`),
    corner(inputs, "k18", "float64", [24], 5, (x) => x.reshape([2, 3, 4]), (x) => `${x}.reshape((2, 3, 4))`),
    corner(inputs, "k19", "float64", [4, 6], [[1, 3], [2, 4]], (x) => x.reshape(-1), (x) => `${x}.reshape(-1)`),
    corner(inputs, "k20", "int32", [2, 3, 4], [1, 2, 3], (x) => x.reshape([6, 4]), (x) => `${x}.reshape((6, 4))`),
    corner(inputs, "k21", "int32", [2, 3, 4], [1, 2, 3], (x) => x.reshape([4, -1]), (x) => `${x}.reshape((4, -1))`),
    corner(inputs, "k22", "int32", [6, 5], [4, 3], (x) => x.reshape([10, 3]), (x) => `${x}.reshape((10, 3))`),
    corner(inputs, "k23", "int32", [0, 4], [1, 3], (x) => x.reshape([-1, 2, 0]), (x) => `${x}.reshape((-1, 2, 0))`),
    corner(inputs, "k24", "int32", [0, 4], [1, 3], (x) => x.reshape([2, -1]), (x) => `${x}.reshape((2, -1))`),
    corner(inputs, "k25", "uint16", [2, 3, 4], [1, 2, 3], (x) => x.transpose([-1, 0, -2]), (x) => `${x}.transpose((-1, 0, -2))`),
    corner(inputs, "k26", "uint16", [2, 3, 4], [1, 2, 3], (x) => x.transpose([0, 0, 1]), (x) => `${x}.transpose((0, 0, 1))`),
    corner(inputs, "k27", "uint16", [2, 3, 4], [1, 2, 3], (x) => x.transpose([0, 1, 3]), (x) => `${x}.transpose((0, 1, 3))`),
    corner(inputs, "k28", "uint16", [2, 3, 4], [1, 2, 3], (x) => x.transpose([0, 1]), (x) => `${x}.transpose((0, 1))`),
    corner(inputs, "k29", "bool", [5, 7], [2, 3], (x) => x.sum(), (x) => `np.sum(${x})`),
    corner(inputs, "k30", "uint16", [5, 7], [2, 3], (x) => x.sum({ axis: -1 }), (x) => `np.sum(${x}, axis=-1)`),
    corner(inputs, "k31", "float64", [25, 3], [[2, 3, 5, 1, 4, 10], 1], (x) => x.rechunk({ 0: 7, [-1]: -1 }), (x) => `np.asarray((${x}) if isinstance(${x}, np.ndarray) else (${x}).rechunk({0: 7, -1: -1}))`),
    corner(inputs, "k32", "int32", [4, 5], 2, (x) => x.get(nd.array(-1, { dtype: "int32" })), (x) => `${x}[np.int32(-1)]`),
    corner(inputs, "k33", "int32", [4, 5], 2, (x) => x.get(":", 5n), (x) => `${x}[:, 5]`),
    corner(inputs, "k34", "int32", [4, 5], 2, (x) => x.get("...", "..."), (x) => `${x}[..., ...]`),
    corner(inputs, "k35", "int32", [4, 5], 2, (x) => x.get({ step: 0 }), (x) => `${x}[::0]`, /step|slice/),
    corner(inputs, "k36", "float64", [1], 1, (x) => x.get(-1), (x) => `${x}[-1]`),
    corner(inputs, "k37", "float64", [2, 3], [1, 1], (x) => x.get(), (x) => `${x}[()]`),
    corner(inputs, "k38", "float64", [2, 3], [1, 1], (x) => x.get(null), (x) => `${x}[None]`),
    corner(inputs, "k39", "bool", [4, 6, 2, 9], [[1, 1, 0, 2], 1, 1, [1, 2, 3, 2, 1]], (x) => x.reshape([2, 216]), (x) => `${x}.reshape((2, 216))`),
    joinCorner(inputs, "k40", "concatenate", -1, [["int32", [3, 2], [3, 1]], ["uint16", [3, 1], [3, [0, 1]]]]),
    joinCorner(inputs, "k41", "stack", -1, [["bool", [1, 4, 2], [[1, 0], 2, 1]], ["int32", [1, 4, 2], [[0, 1], 4, 2]]]),
    joinCorner(inputs, "k42", "concatenate", 0, [["bool", [2, 3], 1], ["uint16", [0, 3], 1], ["float64", [1, 3], [1, [3]]]]),
    joinCorner(inputs, "k43", "stack", 1, [["uint16", [0, 2], [[0], 1]], ["uint16", [0, 2], [[0], 2]]]),
  ];
}
