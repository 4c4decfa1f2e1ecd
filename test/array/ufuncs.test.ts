// The lazy elementwise functions (issue 12 item 2) against NumPy on whole arrays, on several
// dtypes and chunkings (regular, irregular, single chunk), and against Dask's chunks.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { difference } from "../ndarray/numpy-anchor.js";
import { evaluatePython } from "./python-eval.js";

const shape = [10, 12];
function sprinkle(a: nd.NDArray, values: number[]): nd.NDArray {
  const out = nd.copy(a);
  values.forEach((v, i) => out.set([i % 10, (i * 5) % 12], v));
  return out;
}
const f64 = sprinkle(nd.subtract(nd.multiply(nd.random(shape, { seed: 51 }), 20), 10), [NaN, Infinity, -Infinity, -0, 0.5, 2.5, -1.5]);
const f32 = nd.astype(sprinkle(nd.multiply(nd.random(shape, { seed: 52 }), 3), [NaN, 0, 1]), "float32");
const i16 = nd.astype(nd.subtract(nd.multiply(nd.random(shape, { seed: 53 }), 40), 20), "int16");
const u8 = nd.astype(nd.multiply(nd.random(shape, { seed: 54 }), 12), "uint8");
const divisor = nd.array([3, -3, 0, 7, -1, 2, 5, -4, 0, 1, 9, -6], { dtype: "int16" });
const inputs = { f64, f32, i16, u8, divisor };

const chunkings: Array<[string, ta.ChunkSpec]> = [["regular chunks", [4, 5]], ["irregular chunks", [[3, 1, 6], [5, 2, 5]]], ["a single chunk", -1]];

type Arrays = Record<keyof typeof inputs, ta.Array>;
// [label, tessera expression, NumPy expression, allowed ulps]
const cases: Array<[string, (a: Arrays) => ta.Array, string, number]> = [
  ["sqrt f64", (a) => ta.sqrt(a.f64), "np.sqrt(f64)", 0],
  ["sqrt u8", (a) => ta.sqrt(a.u8), "np.sqrt(u8.astype(np.float32))", 0],
  ["log f32", (a) => ta.log(a.f32), "np.log(f32)", 2],
  ["exp i16", (a) => ta.exp(a.i16), "np.exp(i16)", 2],
  ["log1p f64", (a) => ta.log1p(a.f64), "np.log1p(f64)", 4],
  ["expm1 f32", (a) => ta.expm1(a.f32), "np.expm1(f32)", 4],
  ["sin f64", (a) => ta.sin(a.f64), "np.sin(f64)", 4],
  ["cos i16", (a) => ta.cos(a.i16), "np.cos(i16)", 4],
  ["isnan", (a) => ta.isnan(a.f64), "np.isnan(f64)", 0],
  ["isfinite", (a) => ta.isfinite(a.f32), "np.isfinite(f32)", 0],
  ["isinf", (a) => ta.isinf(a.f64), "np.isinf(f64)", 0],
  ["round f64", (a) => ta.round(a.f64), "np.round(f64)", 0],
  ["round 2 f32 (method)", (a) => a.f32.round(2), "np.round(f32, 2)", 0],
  ["round -1 i16", (a) => ta.round(a.i16, -1), "np.round(i16, -1)", 0],
  ["floor f32", (a) => ta.floor(a.f32), "np.floor(f32)", 0],
  ["ceil i16", (a) => ta.ceil(a.i16), "np.ceil(i16)", 0],
  ["sign f64", (a) => ta.sign(a.f64), "np.sign(f64)", 0],
  ["abs i16", (a) => ta.abs(a.i16), "np.abs(i16)", 0],
  ["negative u8", (a) => ta.negative(a.u8), "np.negative(u8)", 0],
  ["power u8 2", (a) => ta.power(a.u8, 2), "np.power(u8, np.uint8(2))", 0],
  ["power f64 f32", (a) => ta.power(a.f32, a.f64), "np.power(f32, f64)", 2],
  ["floorDivide i16 by divisors (zeros, signs)", (a) => ta.floorDivide(a.i16, a.divisor), "np.floor_divide(i16, divisor)", 0],
  ["remainder i16 by divisors", (a) => ta.remainder(a.i16, a.divisor), "np.remainder(i16, divisor)", 0],
  ["mod f64 by divisors", (a) => ta.mod(a.f64, a.divisor), "np.mod(f64, divisor)", 0],
  ["floorDivide f64 by -3", (a) => ta.floorDivide(a.f64, -3), "np.floor_divide(f64, -3.0)", 0],
  ["floorDivide u8 by 0", (a) => ta.floorDivide(a.u8, 0), "np.floor_divide(u8, np.uint8(0))", 0],
  ["where", (a) => ta.where(a.f64.gt(0), a.f64, a.i16), "np.where(f64 > 0, f64, i16)", 0],
  ["where scalar", (a) => ta.where(a.i16.lt(0), 0, a.i16), "np.where(i16 < 0, np.int16(0), i16)", 0],
  ["clip", (a) => ta.clip(a.f64, -0.5, 0.5), "np.clip(f64, -0.5, 0.5)", 0],
  ["clip array bound (method)", (a) => a.i16.clip(a.divisor, null), "np.clip(i16, divisor, None)", 0],
];

describe("lazy elementwise functions", () => {
  for (const [chunkLabel, chunks] of chunkings) {
    it(`equal NumPy with ${chunkLabel} (float64, float32, int16, uint8)`, async () => {
      const arrays = {
        f64: ta.fromArray(f64, { chunks }), f32: ta.fromArray(f32, { chunks }), i16: ta.fromArray(i16, { chunks }),
        u8: ta.fromArray(u8, { chunks }), divisor: ta.fromArray(divisor, { chunks: chunks === -1 ? -1 : [5] }),
      };
      const reference = evaluatePython(inputs, Object.fromEntries(cases.map(([, , python], i) => [`c${i}`, python])));
      const problems: string[] = [];
      for (const [i, [label, build, , ulps]] of cases.entries()) {
        const lazy = build(arrays);
        const expected = reference[`c${i}`].array as nd.NDArray;
        const problem = difference(await lazy.compute(), expected, { ulps }) ?? (lazy.dtype === expected.dtype ? undefined : `lazy dtype ${lazy.dtype}`);
        if (problem) problems.push(`${label}: ${problem}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it("unifies chunks and broadcasts as Dask does", () => {
    const x = ta.fromArray(f64, { chunks: [[3, 1, 6], [5, 2, 5]] });
    const row = ta.fromArray(divisor, { chunks: [4] });
    const reference = evaluatePython({ f64, divisor }, {
      a: "da.remainder(da.from_array(f64, chunks=((3, 1, 6), (5, 2, 5))), da.from_array(divisor, chunks=4))",
      b: "da.where(da.from_array(f64, chunks=((3, 1, 6), (5, 2, 5))) > 0, 1.5, da.from_array(divisor, chunks=4))",
    });
    assert.deepEqual(ta.remainder(x, row).chunks, reference.a.chunks);
    assert.deepEqual(ta.where(x.gt(0), 1.5, row).chunks, reference.b.chunks);
  });

  it("refuses operands and options that are not arrays or numbers, naming them", () => {
    const x = ta.fromArray(f64, { chunks: 5 });
    assert.throws(() => ta.where(x.gt(0), f64 as never, 0), (e: Error) => e instanceof InvalidOptionError && /where: operand 1 must be a tessera array or a scalar, got an NDArray \(wrap an NDArray with ta\.fromArray first\)/.test(e.message));
    assert.throws(() => ta.power(x, "2" as never), /power: operand 1 must be a tessera array or a scalar, got "2"/);
    assert.throws(() => ta.clip(x, null, null), /clip: give at least one of min and max/);
    // One argument is nonzero (unknown sizes, test/array/nonzero.test.ts); two are refused as such, not as an undefined operand.
    assert.equal(ta.where(x.gt(0)).length, 2);
    assert.throws(() => (ta.where as unknown as (c: unknown, a: unknown) => ta.Array)(x.gt(0), x), /where: give both x and y .*or neither/);
    assert.throws(() => ta.where(x.gt(0), ta.fromArray(u8), -1), (e: Error) => /^where: scalar -1 is out of bounds for uint8 \(0 to 255\); convert the array with astype/.test(e.message));
    assert.throws(() => ta.clip(x, 0, NaN), (e: Error) => /^clip: max is NaN, which NumPy 1\.24 reads as no bound and later NumPy as NaN everywhere; pass null for no bound$/.test(e.message));
    assert.throws(() => ta.round(x, 1.5), /round: decimals 1\.5 must be an integer/);
    assert.throws(() => ta.sign(ta.fromArray(nd.ones([3], "bool"))), /sign: bool arrays have no sign/);
    assert.throws(() => ta.add(x, ta.zeros([7])), /could not be broadcast together with shapes \[10, 12\] \[7\]/);
  });
});
