/**
 * Reductions of lazy masked arrays against numpy.ma 1.24: sum, prod, min, max, mean, var,
 * std (ddof), any, all, argmin, argmax and count over no axis, one axis and a tuple, with
 * keepdims and splitEvery, on float64/float32/int32/int8/bool data whose blocks and columns
 * include fully masked ones (masked result elements, and NumPy's `masked` for a 0-d result).
 */
import { describe, it, before } from "node:test";
import * as nd from "../../../src/ndarray/index.js";
import * as ta from "../../../src/array/index.js";
import type { ReductionCallOptions } from "../../../src/array/index.js";
import { evaluateMasked, assertSameMasked, type MaskedReference } from "./masked-eval.js";
import { assertSameArray } from "../python-eval.js";
import { dataOf, input, lazy, maskOf, shape } from "./masked-inputs.js";

const inputs = {
  x: input(dataOf("float64", 3)),
  f: input(dataOf("float32", 19)),
  i: input(dataOf("int32", 13)),
  s: input(dataOf("int8", 29, 0, 4)),
  // All positive: a masked element filled with anything but the dtype's largest value would win a min.
  p: input(dataOf("int16", 37, 3, 9)),
  l: input(dataOf("int64", 43)),
  u: input(dataOf("uint8", 47, 0, 200)),
  b: input(dataOf("bool", 23)),
  // Not integers, far from 0: a variance whose partials are merged (Chan's formula) rounds unlike NumPy's two passes.
  w: input(nd.add(nd.divide(dataOf("float64", 53), 7), 1e4)),
  // Every element masked: reductions over no axis give NumPy's `masked`.
  z: input(dataOf("float64", 31), nd.full(shape, true, "bool")),
};
const lazyOf = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, lazy(value)])) as Record<keyof typeof inputs, ta.ma.MaskedArray>;

type Kind = "sum" | "prod" | "min" | "max" | "mean" | "var" | "std" | "any" | "all";
const forms: Array<[string, string, ReductionCallOptions]> = [
  ["all", "", {}],
  ["axis0", "axis=0", { axis: 0 }],
  ["axis1keep", "axis=1, keepdims=True", { axis: 1, keepdims: true }],
  ["tuple", "axis=(0, 1)", { axis: [0, 1], splitEvery: 3 }],
  ["axisNeg", "axis=-1", { axis: -1, splitEvery: 2 }],
];

const masked: Record<string, [string, () => ta.ma.MaskedArray]> = {};
const plain: Record<string, [string, () => ta.Array]> = {};
const kinds: Record<Kind, string[]> = {
  sum: ["x", "f", "i", "s", "b", "z", "l", "u"], prod: ["s", "x"], min: ["x", "i", "s", "p", "z", "l", "u"], max: ["x", "f", "b", "l", "u"],
  mean: ["x", "f", "i", "b", "z", "l", "u"], var: ["x", "i", "z", "w"], std: ["x", "f", "w"], any: ["i", "b", "z"], all: ["i", "b"],
};
for (const [kind, names] of Object.entries(kinds) as Array<[Kind, string[]]>) {
  for (const name of names) {
    for (const [formName, python, options] of forms) {
      masked[`${kind}-${name}-${formName}`] = [`{${name}}.${kind}(${python})`, () => lazyOf[name as keyof typeof inputs][kind](options)];
    }
  }
}
for (const ddof of [1, 20]) {
  masked[`var-ddof${ddof}`] = [`{x}.var(axis=0, ddof=${ddof})`, () => lazyOf.x.var({ axis: 0, ddof })];
  masked[`std-ddof${ddof}`] = [`{x}.std(axis=1, ddof=${ddof})`, () => lazyOf.x.std({ axis: 1, ddof })];
}
// Over every element, count − ddof < 0 divides unmasked (a negative variance; std's sqrt masks it), = 0 masks.
const unmasked = (inputs.x.mask.toTypedArray() as Uint8Array).reduce((n, m) => n + (m ? 0 : 1), 0);
for (const ddof of [unmasked, unmasked + 5]) {
  masked[`var-all-ddof${ddof}`] = [`{x}.var(ddof=${ddof})`, () => lazyOf.x.var({ ddof })];
  masked[`std-all-ddof${ddof}`] = [`{x}.std(ddof=${ddof})`, () => lazyOf.x.std({ ddof })];
}
// numpy.ma takes the mean in the dtype asked for: float64 is the one tree's own.
masked["var-i-dtype"] = ["{i}.var(axis=0, dtype=np.float64)", () => lazyOf.i.var({ axis: 0, dtype: "float64" })];
masked["std-f-dtype"] = ["{f}.std(axis=1, dtype=np.float64)", () => lazyOf.f.std({ axis: 1, dtype: "float64" })];
masked["var-f-dtype32"] = ["{f}.var(axis=0, dtype=np.float32)", () => lazyOf.f.var({ axis: 0, dtype: "float32" })];
// NumPy's var and std keep the input's fill value (Dask 2022.12 loses it: 1e20); sum and mean take the default.
masked["var-fill"] = ["np.ma.masked_equal({x}, 2).var(axis=0)", () => ta.ma.maskedEqual(lazyOf.x, 2).var({ axis: 0 })];
masked["std-fill"] = ["np.ma.masked_equal({x}, 2).std(axis=1)", () => ta.ma.maskedEqual(lazyOf.x, 2).std({ axis: 1 })];
masked["sum-fill"] = ["np.ma.masked_equal({x}, 2).sum(axis=0)", () => ta.ma.maskedEqual(lazyOf.x, 2).sum({ axis: 0 })];
masked["sum-dtype"] = ["{s}.sum(axis=0, dtype=np.int8)", () => lazyOf.s.sum({ axis: 0, dtype: "int8" })];
for (const [kind, names] of [["argmin", ["x", "i", "p"]], ["argmax", ["x", "f"]], ["count", ["x", "z"]]] as const) {
  for (const name of names) {
    for (const [formName, python, options] of forms) {
      if (formName === "tuple" && kind !== "count") continue;
      const { splitEvery: _, ...rest } = options;
      plain[`plain:${kind}-${name}-${formName}`] = [`np.ma.${kind}({${name}}${python ? ", " + python : ""})`, () => lazyOf[name][kind](kind === "count" ? options : rest)];
    }
  }
}

/** Sums of small integers are exact in any order; means, variances and float32 sums are not. */
function tolerance(label: string): number | undefined {
  if (label.includes("-f-") || label.startsWith("std") || label.startsWith("var") || label.startsWith("mean")) return label.includes("-f-") ? 3e-6 : 1e-13;
  return undefined;
}

describe("ma reductions match numpy.ma", () => {
  let references: Record<string, MaskedReference>;
  before(() => {
    const expressions = Object.fromEntries([...Object.entries(masked), ...Object.entries(plain)].map(([label, [expression]]) => [label, expression]));
    references = evaluateMasked(inputs, expressions);
  });
  for (const [label, [expression, build]] of Object.entries(masked)) {
    it(`${label}: ${expression}`, async () => {
      // Under the mask: sum/prod/any/all hold NumPy's values; min/max/mean/var hold fills (see reductions.ts).
      const underMask = /^(sum|prod|any|all)-/.test(label);
      assertSameMasked(await build().compute(), references[label], label, { underMask, rtol: tolerance(label) });
    });
  }
  for (const [label, [expression, build]] of Object.entries(plain)) {
    it(`${label}: ${expression}`, async () => {
      const expected = references[label];
      if (expected.error !== undefined) throw new Error(`${label}: Python raised ${expected.error}`);
      assertSameArray(await build().compute(), expected.plain as nd.NDArray, label);
    });
  }
});

export { maskOf };
