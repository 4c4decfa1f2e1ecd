// Seeded differential test of the eager nd.ptp, nd.average, nd.unravelIndex, nd.ravelMultiIndex
// and nd.searchsorted against NumPy 1.24: values bit for bit, dtype, shape, and NumPy's refusals
// (matched by tessera's with the same meaning). DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "../array/python-eval.js";
import { integer, numberDtypes, pick, pyAxis, pyTuple, randomArray, rngOf, type Rng } from "../array/differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 400);

interface Case {
  label: string;
  numpy: string;
  ours: () => nd.NDArray;
}

const refusals: Array<[RegExp, RegExp]> = [
  [/Weights sum to zero/, /average: weights sum to zero, can't be normalized/],
  [/out of bounds for array with size/, /unravelIndex: index -?\d+ is out of bounds for array with size \d+/],
  [/invalid entry in coordinates array/, /ravelMultiIndex: invalid entry in coordinates array/],
  [/boolean subtract/, /ptp: bool arrays have no peak-to-peak/],
];

function drawCase(rng: Rng, index: number, inputs: Record<string, nd.NDArray>): Case {
  const add = (array: nd.NDArray): string => {
    const name = `x${Object.keys(inputs).length}`;
    inputs[name] = array;
    return name;
  };
  const dtype = pick(rng, numberDtypes);
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 6));
  const x = nd.reshape(randomArray(rng, dtype, shape, { specials: true, small: rng() < 0.5 }), shape);
  const label = (op: string): string => `c${index}_${op}_${dtype}_${shape.join("x")}`;
  const kind = pick(rng, ["ptp", "average", "average", "unravel", "ravel", "searchsorted"]);
  switch (kind) {
    case "ptp": {
      const axis = rng() < 0.3 ? undefined : rng() < 0.5 ? integer(rng, -ndim, ndim - 1) : [0, ndim - 1].filter((a, i, all) => all.indexOf(a) === i);
      const keepdims = rng() < 0.3;
      const name = add(x);
      return { label: label("ptp"), numpy: `np.ptp(${name}, axis=${pyAxis(axis)}, keepdims=${keepdims ? "True" : "False"})`, ours: () => nd.ptp(x, { axis, keepdims }) };
    }
    case "average": {
      const along = integer(rng, -ndim, ndim - 1);
      const style = pick(rng, ["none", "same", "oneD"]);
      const returned = rng() < 0.4;
      const keepdims = rng() < 0.3;
      const wDtype = pick(rng, numberDtypes);
      const weights = style === "none" ? undefined : randomArray(rng, wDtype, style === "same" ? shape : [shape[(along + ndim) % ndim]], { small: true });
      const axis = style === "oneD" || rng() < 0.5 ? along : undefined;
      const name = add(x);
      const wName = weights ? add(weights) : "None";
      const call = `np.average(${name}, axis=${pyAxis(axis)}, weights=${wName}, returned=${returned ? "True" : "False"}, keepdims=${keepdims ? "True" : "False"})`;
      return {
        label: label(`average_${style}`), numpy: returned ? `np.stack(${call})` : call,
        ours: () => {
          const result = nd.average(x, { axis, weights, returned, keepdims });
          return Array.isArray(result) ? nd.stack(result) : result;
        },
      };
    }
    case "unravel": {
      const target = Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, 0, 6));
      const size = target.reduce((p, n) => p * n, 1);
      const intDtype = pick(rng, ["bool", "int8", "uint8", "int16", "uint32", "int64", "uint64"] as const);
      const low = intDtype.startsWith("u") || intDtype === "bool" ? 0 : rng() < 0.1 ? -2 : 0;
      const values = nd.astype(nd.floor(nd.add(nd.multiply(nd.random(shape, { seed: integer(rng, 0, 1e6) }), Math.min(size + 2 - low, 120)), low)), intDtype);
      const name = add(values);
      return { label: label(`unravel_${intDtype}`), numpy: `np.stack(np.unravel_index(${name}, ${pyTuple(target)}))`, ours: () => nd.stack(nd.unravelIndex(values, target)) };
    }
    case "ravel": {
      const dims = Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, 1, 9));
      const names: string[] = [];
      const coordinates = dims.map((n) => {
        const cDtype = pick(rng, ["bool", "int8", "uint8", "int16", "int32", "uint32", "int64"] as const);
        const cShape = rng() < 0.3 ? shape.map((s, a) => (a === ndim - 1 ? s : 1)) : shape;
        const low = cDtype.startsWith("u") || cDtype === "bool" ? 0 : -2;
        const c = nd.astype(nd.floor(nd.add(nd.multiply(nd.random(cShape, { seed: integer(rng, 0, 1e6) }), n + 2 - low), low)), cDtype);
        names.push(add(c));
        return c;
      });
      const modes = dims.map(() => pick(rng, ["raise", "wrap", "clip"] as const));
      const mode = rng() < 0.5 ? modes : modes[0];
      const pyMode = Array.isArray(mode) ? pyTuple(mode.map((m) => `'${m}'`)) : `'${mode}'`;
      return { label: label("ravel"), numpy: `np.ravel_multi_index(${pyTuple(names)}, ${pyTuple(dims)}, mode=${pyMode})`, ours: () => nd.ravelMultiIndex(coordinates, dims, { mode }) };
    }
    default: {
      const aDtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
      const a = randomArray(rng, aDtype, [integer(rng, 0, 30)], { specials: true, small: rng() < 0.5 });
      const sorted = evaluateSorted(a);
      const side = pick(rng, ["left", "right"] as const);
      const aName = add(sorted);
      const name = add(x);
      return { label: label(`searchsorted_${aDtype}_${side}`), numpy: `np.searchsorted(${aName}, ${name}, side='${side}')`, ours: () => nd.searchsorted(sorted, x, { side }) };
    }
  }
}

/** `a` sorted in NumPy's order (NaN last). */
function evaluateSorted(a: nd.NDArray): nd.NDArray {
  const items = Array.from(a.toTypedArray() as ArrayLike<number | bigint>);
  items.sort((x, y) => (x !== x ? (y !== y ? 0 : 1) : y !== y ? -1 : x < y ? -1 : x > y ? 1 : 0));
  const Ctor = nd.dtypeInfo(a.dtype).array as unknown as { from(items: unknown[]): nd.TypedArray };
  return nd.fromTypedArray(Ctor.from(items), [...a.shape], { dtype: a.dtype });
}

describe("eager ptp, average, unravelIndex, ravelMultiIndex and searchsorted against NumPy", () => {
  it(`agree on ${count} seeded cases (seed ${seed})`, () => {
    const rng = rngOf(seed);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: count }, (_, i) => drawCase(rng, i, inputs));
    const python = evaluatePython(inputs, Object.fromEntries(cases.map((c) => [c.label, c.numpy])));
    const seen = new Set<string>();
    for (const c of cases) {
      const numpy = python[c.label];
      const where = `${c.label} (seed ${seed}: ${c.numpy})`;
      const kind = c.label.split("_")[1];
      if (!numpy.array) {
        const pair = refusals.find(([theirs]) => theirs.test(numpy.error ?? ""));
        assert.ok(pair, `${where}: NumPy refused unexpectedly: ${numpy.error}`);
        assert.throws(() => c.ours(), pair[1], `${where}: NumPy refused (${numpy.error}), so must tessera`);
        seen.add(`${kind} refused`);
        continue;
      }
      assertSameArray(c.ours(), numpy.array, `${where} vs NumPy`);
      seen.add(kind);
    }
    for (const name of ["ptp", "average", "unravel", "ravel", "searchsorted", "ptp refused", "average refused", "unravel refused", "ravel refused"]) {
      assert.ok(seen.has(name), `no case of ${name} in seed ${seed}`);
    }
  });

  it("ptp wraps integer ranges in the input dtype, as NumPy 1.24", () => {
    assert.equal(nd.ptp(nd.array([-100, 100], { dtype: "int8" })).item(), -56);
    assert.equal(nd.ptp(nd.array([0, 255], { dtype: "uint8" })).dtype, "uint8");
  });

  it("refuses bad input by name", () => {
    const x = nd.reshape(nd.arange(12), [3, 4]);
    assert.throws(() => nd.ptp(x, { dtype: "int8" } as never), /ptp: unknown option "dtype"; ptp takes axis, keepdims/);
    assert.throws(() => nd.ptp(x, { axis: 2 }), /axis 2 is out of bounds/);
    assert.throws(() => nd.average(x, { weights: nd.ones([4]) }), /average: axis must be specified when shapes of a \[3, 4\] and weights \[4\] differ/);
    assert.throws(() => nd.average(x, { axis: 0, weights: nd.ones([4]) }), /average: length of weights \(4\) not compatible with specified axis 0 \(length 3\)/);
    assert.throws(() => nd.average(x, { axis: 1, weights: [1, 2, 3, 4] as never }), /average: weights must be an NDArray/);
    assert.throws(() => nd.average(x, { sorter: 1 } as never), /average: unknown option "sorter"/);
    assert.throws(() => nd.unravelIndex(1.5, [3, 4]), /unravelIndex: only int indices permitted/);
    assert.throws(() => nd.unravelIndex(nd.array([1.0]), [3, 4]), /unravelIndex: only int indices permitted, got dtype float64/);
    assert.throws(() => nd.unravelIndex(12, [3, 4]), /unravelIndex: index 12 is out of bounds for array with size 12/);
    assert.throws(() => nd.unravelIndex(nd.fromTypedArray(BigInt64Array.of(2n ** 60n)), [3, 4]), /index 1152921504606846976 is out of bounds/);
    assert.throws(() => nd.ravelMultiIndex([1, 2], [3, 4], { mode: "bad" as never }), /clipmode must be one of 'clip', 'raise', or 'wrap' \(got "bad"\)/);
    assert.throws(() => nd.ravelMultiIndex([1], [3, 4]), /parameter multi_index must be a sequence of length 2/);
    assert.throws(() => nd.ravelMultiIndex([1, 0], [3, 0]), /cannot unravel if shape has zero entries/);
    assert.throws(() => nd.searchsorted(x, 3), /searchsorted: a must be one-dimensional, got shape \[3, 4\]/);
    assert.throws(() => nd.searchsorted(nd.arange(3), 1, { side: "both" as never }), /searchsorted: side must be "left" or "right", got "both"/);
    assert.throws(() => nd.searchsorted(nd.arange(3), "1" as never), /searchsorted: v must be an NDArray or a number/);
  });
});
