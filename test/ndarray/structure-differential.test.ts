// Differential test of NDArray's structural operations (slice, take, transpose, reshape,
// squeeze, expandDims, broadcastTo, concatenate, stack, where, ascontiguousarray) against NumPy, on chains
// drawn from a fixed seed, so most steps run on strided, offset or broadcast views. One Python
// process answers every case; a failure lists every mismatch with the seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { dataOf, drawIndex, newShape, permutation, py, randomFrom, randomShape, type DType, type Inputs, type Random } from "../array/structure-cases.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const dtypes: readonly DType[] = ["int32", "float64", "uint16", "bool"];

interface Step { x: nd.NDArray; numpy: string }

/** One operation on `state`, with its NumPy twin written before tessera runs it. */
function planStep(random: Random, inputs: Inputs, { x, numpy }: Step, name: string): { apply: () => nd.NDArray; numpy: string } {
  const r = random.next();
  if (r < 0.3) {
    const { items, python } = drawIndex(random, inputs, x.shape, name, true);
    return { apply: () => nd.slice(x, ...(items as nd.IndexItem[])), numpy: `(${numpy})[${python}]` };
  }
  if (r < 0.42) {
    const order = permutation(random, x.ndim);
    return { apply: () => nd.transpose(x, order), numpy: `(${numpy}).transpose(${py(order)})` };
  }
  if (r < 0.56) {
    const shape = newShape(random, x.shape);
    return { apply: () => nd.reshape(x, shape), numpy: `(${numpy}).reshape(${py(shape)})` };
  }
  if (r < 0.66 && x.ndim > 0) {
    const axis = random.int(-x.ndim, x.ndim - 1);
    const n = x.shape[axis < 0 ? axis + x.ndim : axis];
    const indices = Array.from({ length: random.int(0, 5) }, () => (n === 0 || random.next() < 0.03 ? n : random.int(-n, n - 1)));
    return { apply: () => nd.take(x, indices, { axis }), numpy: `np.take(${numpy}, np.array(${py(indices).replace(/^\((.*?),?\)$/, "[$1]")}, dtype=np.intp), axis=${axis})` };
  }
  if (r < 0.72) return { apply: () => nd.squeeze(x), numpy: `(${numpy}).squeeze()` };
  if (r < 0.78) {
    const axis = random.int(-x.ndim - 1, x.ndim);
    return { apply: () => nd.expandDims(x, axis), numpy: `np.expand_dims(${numpy}, ${axis})` };
  }
  if (r < 0.84) {
    const shape = [random.int(0, 3), ...x.shape.map((n) => (n === 1 ? random.pick([1, 3]) : n))];
    return { apply: () => nd.broadcastTo(x, shape), numpy: `np.broadcast_to(${numpy}, ${py(shape)})` };
  }
  if (r < 0.95 && x.ndim > 0) {
    // Join with a fresh array of another dtype, itself a reversed (negative-stride) view.
    const stack = random.next() < 0.4;
    const axis = stack ? random.int(-x.ndim - 1, x.ndim) : random.int(-x.ndim, x.ndim - 1);
    const shape = [...x.shape];
    if (!stack) shape[axis < 0 ? axis + x.ndim : axis] = random.int(0, 4);
    inputs[name] = dataOf(random.pick(dtypes), shape, random.int(1, 1e6));
    const other = nd.slice(inputs[name], ...shape.map(() => ({ step: -1 })));
    const pyOther = `${name}[${shape.map(() => "::-1").join(", ") || "()"}]`;
    const fn = stack ? "stack" : "concatenate";
    const ordered = random.next() < 0.5;
    const apply = () => nd[fn](ordered ? [x, other] : [other, x], axis);
    return { apply, numpy: `np.${fn}([${ordered ? `${numpy}, ${pyOther}` : `${pyOther}, ${numpy}`}], axis=${axis})` };
  }
  if (r < 0.98) {
    inputs[name] = nd.greater(nd.random(x.shape, { seed: random.int(1, 1e6) }), 0.5);
    const other = dataOf(random.pick(dtypes), [...x.shape], random.int(1, 1e6));
    inputs[`${name}_o`] = other;
    return { apply: () => nd.where(inputs[name], x, other), numpy: `np.where(${name}, ${numpy}, ${name}_o)` };
  }
  return { apply: () => nd.ascontiguousarray(x), numpy: `np.array(${numpy}, order="C")` };
}

describe("NDArray structural operations against NumPy (seeded differential)", () => {
  it("chains of slice, take, transpose, reshape, squeeze, expandDims, broadcastTo, joins and where match NumPy's values, shape and dtype", () => {
    const random = randomFrom(seed + 2);
    const inputs: Inputs = {};
    const cases: Array<{ label: string; numpy: string; result?: nd.NDArray; error?: Error }> = [];
    for (let i = 0; i < 250; i++) {
      const name = `a${i}`;
      const dtype = random.pick(dtypes);
      inputs[name] = dataOf(dtype, randomShape(random, random.int(1, 4)), random.int(1, 1e6));
      let state: Step = { x: inputs[name], numpy: name };
      let error: Error | undefined;
      for (let s = 0, steps = random.int(1, 4); s < steps && !error; s++) {
        const planned = planStep(random, inputs, state, `${name}_${s}`);
        try {
          state = { x: planned.apply(), numpy: planned.numpy };
        } catch (thrown) {
          error = thrown as Error;
          state = { x: state.x, numpy: planned.numpy };
        }
      }
      cases.push({ label: `${name} ${dtype} [${inputs[name].shape.join(", ")}]`, numpy: state.numpy, result: error ? undefined : state.x, error });
    }
    const reference = evaluatePython(inputs, Object.fromEntries(cases.map((c, i) => [`n${i}`, c.numpy])));
    const problems: string[] = [];
    cases.forEach((kase, i) => {
      const expected = reference[`n${i}`];
      const say = (what: string) => problems.push(`case ${i} ${kase.label}\n    numpy: ${kase.numpy}\n    ${what}`);
      if (expected.error !== undefined) {
        if (!kase.error) say(`NumPy raises ${expected.error}, tessera returns shape [${kase.result?.shape.join(", ")}]`);
        return;
      }
      const want = expected.array as nd.NDArray;
      if (kase.error) {
        if (!(/out of bounds|did not match/.test(kase.error.message) && want.size === 0)) say(`tessera throws ${kase.error.message}; NumPy returns shape [${want.shape.join(", ")}]`);
        return;
      }
      const got = kase.result as nd.NDArray;
      if (got.dtype !== want.dtype) return say(`dtype ${got.dtype}, NumPy ${want.dtype}`);
      if (got.shape.join() !== want.shape.join()) return say(`shape [${got.shape.join(", ")}], NumPy [${want.shape.join(", ")}]`);
      const a = nd.ascontiguousarray(got).toTypedArray();
      const b = want.toTypedArray();
      const at = Array.from({ length: b.length }, (_, k) => k).find((k) => !Object.is(a[k], b[k]) && !(Number.isNaN(a[k]) && Number.isNaN(b[k])));
      if (at !== undefined) say(`element ${at} is ${String(a[at])}, NumPy ${String(b[at])}`);
    });
    assert.equal(problems.length, 0, `seed ${seed} (TESSERA_FUZZ_SEED=${seed} reruns it): ${problems.length} mismatches\n${problems.join("\n")}`);
  });
});
