/**
 * The generator behind `random`: its WebAssembly fill and its 32-bit JavaScript fallback give
 * the same stream bit for bit (a machine without WebAssembly makes the same arrays), and the
 * values are uniform in [0, 1) with the full resolution of their type. The stream itself is
 * checked against an independent Python implementation in random-stream.test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as nd from "../../src/ndarray/index.js";
import { seedState } from "../../src/ndarray/random.js";
import { reduceElementwisePartial } from "../../src/ndarray/tree-reduction.js";
import { fillUniformJs } from "../../src/ndarray/xoshiro256-plus.js";
import { chunkValues, fillUniformWasm, wasmUniformAvailable } from "../../src/ndarray/xoshiro256-plus-wasm.js";

type Fill = typeof fillUniformJs;

function fill(how: Fill, size: number, seed: number | number[], float32: boolean, state = seedState(seed)): Float64Array | Float32Array {
  const values = float32 ? new Float32Array(size) : new Float64Array(size);
  how(values, state, float32);
  return values;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Runs `code` (an ES module body with `ndarray`, `treeReduction` and `pairwise` imported) in a fresh Node process without WebAssembly. */
function withoutWebAssembly(code: string): string {
  const module = (name: string) => JSON.stringify(new URL(`../../src/ndarray/${name}.js`, import.meta.url).href);
  const source = `delete globalThis.WebAssembly;
const nd = await import(${module("index")});
const treeReduction = await import(${module("tree-reduction")});
const pairwise = await import(${module("pairwise-sum-wasm")});
${code}`;
  return execFileSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8", maxBuffer: 1 << 26 });
}

describe("xoshiro256+ fills", () => {
  it("runs in WebAssembly here (Node 20 has it), so the benchmarks measure the fast path", () => {
    assert.equal(wasmUniformAvailable(), true);
  });

  it("gives the same values in WebAssembly and in JavaScript, for many seeds and sizes, float64 and float32", () => {
    const sizes = [0, 1, 2, 7, 64, 1000, chunkValues - 1, chunkValues, chunkValues + 1, 3 * chunkValues + 17, 250_000];
    const seeds: Array<number | number[]> = [0, 1, 42, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, [0, 0], [7, 3], [1, 2, 3, 4, 5]];
    for (let i = 0; i < 40; i++) seeds.push([1234, i]);
    for (const float32 of [false, true]) {
      for (const seed of seeds) {
        for (const size of seed === 0 || seed === 42 ? sizes : [1000, chunkValues + 1]) {
          const js = fill(fillUniformJs, size, seed, float32);
          const wasm = fill(fillUniformWasm, size, seed, float32);
          const at = firstDifference(js, wasm);
          assert.equal(at, -1, `seed ${JSON.stringify(seed)}, ${size} ${float32 ? "float32" : "float64"} values: element ${at} is ${wasm[at]} in WebAssembly, ${js[at]} in JavaScript`);
        }
      }
    }
  });

  it("leaves the state advanced by one step per value, the same in both (two fills continue one stream)", () => {
    for (const how of [fillUniformJs, fillUniformWasm]) {
      for (const float32 of [false, true]) {
        const whole = fill(how, 2 * chunkValues + 5, [5, 6], float32);
        const state = seedState([5, 6]);
        const first = fill(how, chunkValues + 3, 0, float32, state);
        const second = fill(how, chunkValues + 2, 0, float32, state);
        assert.equal(firstDifference(whole, [...first, ...second]), -1);
      }
    }
    const jsState = seedState(99);
    const wasmState = seedState(99);
    fill(fillUniformJs, 12345, 0, false, jsState);
    fill(fillUniformWasm, 12345, 0, false, wasmState);
    assert.deepEqual([...wasmState], [...jsState]);
  });

  it("without WebAssembly, nd.random and the fused float64 sum give the same bits (JS fallback, general sum)", () => {
    const output = withoutWebAssembly(`
      const a = nd.random([300, 301], { seed: [11, 4] });
      const f = nd.random([1000], { seed: 5, dtype: "float32" });
      const x = nd.random([200, 200], { seed: 6 });
      const sum = treeReduction.reduceElementwisePartial("ndarray.add", [x, nd.transpose(x)], { op: "sum", axes: [0, 1] });
      console.log(JSON.stringify({ wasm: pairwise.wasmPairwiseAvailable(), a: Array.from(a.toTypedArray()), f: Array.from(f.toTypedArray()), sum: sum.item() }));`);
    const fallback = JSON.parse(output) as { wasm: boolean; a: number[]; f: number[]; sum: number };
    assert.equal(fallback.wasm, false);
    assert.equal(firstDifference(fallback.a, nd.random([300, 301], { seed: [11, 4] }).toTypedArray() as Float64Array), -1);
    assert.equal(firstDifference(fallback.f, nd.random([1000], { seed: 5, dtype: "float32" }).toTypedArray() as Float32Array), -1);
    const x = nd.random([200, 200], { seed: 6 });
    const sum = (reduceElementwisePartial("ndarray.add", [x, nd.transpose(x)], { op: "sum", axes: [0, 1] }) as nd.NDArray).item();
    assert.ok(Object.is(fallback.sum, sum), `${fallback.sum} without WebAssembly, ${String(sum)} with it`);
  });

  it("makes what nd.random returns", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const made = nd.random([300, 301], { seed: [11, 4], dtype }).toTypedArray() as Float64Array | Float32Array;
      assert.equal(firstDifference(made, fill(fillUniformJs, 300 * 301, [11, 4], dtype === "float32")), -1);
    }
  });
});

/** Kolmogorov–Smirnov distance between the values and the uniform distribution on [0, 1). */
function ksDistance(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  let distance = 0;
  for (let i = 0; i < sorted.length; i++) {
    distance = Math.max(distance, (i + 1) / sorted.length - sorted[i], sorted[i] - i / sorted.length);
  }
  return distance;
}

describe("random's distribution", () => {
  const n = 1_000_000;

  for (const dtype of ["float64", "float32"] as const) {
    it(`${dtype}: a million values in [0, 1) with mean 1/2, variance 1/12 and a uniform distribution (KS)`, () => {
      const values = Float64Array.from(nd.random([1000, 1000], { seed: [2026, dtype.length], dtype }).toTypedArray() as Float64Array);
      let sum = 0;
      let squares = 0;
      for (const v of values) {
        assert.ok(v >= 0 && v < 1, `value ${v} outside [0, 1)`);
        sum += v;
        squares += v * v;
      }
      const mean = sum / n;
      const variance = squares / n - mean * mean;
      // standard errors: 0.29e-3 for the mean, 0.075e-3 for the variance; 5 of them
      assert.ok(Math.abs(mean - 0.5) < 1.5e-3, `mean ${mean}`);
      assert.ok(Math.abs(variance - 1 / 12) < 4e-4, `variance ${variance}`);
      // the KS critical distance at the 0.1% level is 1.95 / sqrt(n)
      const ks = ksDistance(values);
      assert.ok(ks < 1.95 / Math.sqrt(n), `KS distance ${ks}`);
    });
  }

  it("has the resolution of its type: float64 values are whole multiples of 2^-53 using all 53 bits, float32 of 2^-24 using all 24", () => {
    for (const [dtype, bits] of [["float64", 53], ["float32", 24]] as const) {
      const values = nd.random([200_000], { seed: 8, dtype }).toTypedArray() as Float64Array | Float32Array;
      let odd = 0;
      let small = 0;
      for (const v of values) {
        const units = v * 2 ** bits;
        assert.ok(Number.isInteger(units), `${dtype} value ${v} is not a multiple of 2^-${bits}`);
        if (units % 2 === 1) odd++;
        if (v < 2 ** -20) small++;
      }
      // the lowest bit is a fair coin: 100 000 ± 224 (1 sd) odd units in 200 000
      assert.ok(Math.abs(odd - values.length / 2) < 1500, `${dtype}: ${odd} of ${values.length} values have the lowest bit set`);
      // values below 2^-20 come as often as uniform says (0.19 expected, so 0..5 is fine; a coarse generator gives none only by chance)
      assert.ok(small <= 5, `${dtype}: ${small} values below 2^-20`);
    }
  });

  it("differs between seeds and between the blocks of one seed, and repeats for the same seed", () => {
    const block = (seed: number[]) => nd.random([500, 500], { seed }).toTypedArray() as Float64Array;
    const a = block([1, 0]);
    assert.equal(firstDifference(a, block([1, 0])), -1);
    for (const other of [block([1, 1]), block([2, 0]), block([0, 1])]) {
      let same = 0;
      for (let i = 0; i < a.length; i++) if (a[i] === other[i]) same++;
      assert.ok(same <= 1, `${same} equal values at equal positions`);
    }
  });
});
