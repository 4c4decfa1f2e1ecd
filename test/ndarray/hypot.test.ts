// hypot.ts's port of glibc's hypot against NumPy 1.24 (which calls it) on random pairs over the
// whole exponent range, around the scaling thresholds (2^511, 2^-459) and near-equal operands:
// bit for bit in float64 and float32. arctan2 on the same pairs: within float-binary.ts's 4 ulps.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { ulpDistance } from "../array/differential-compare.js";
import { seededRandom } from "../ndimage/helpers.js";

function randomPairs(n: number): [nd.NDArray, nd.NDArray] {
  const rng = seededRandom(511);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const signed = (x: number) => (rng() < 0.5 ? -x : x);
  for (let i = 0; i < n; i++) {
    const style = i % 4;
    // Whole range; around the tiny threshold; around the large one; operands of one magnitude.
    const exponent = style === 0 ? Math.floor(rng() * 2098) - 1074 : style === 1 ? -540 + Math.floor(rng() * 100) : style === 2 ? 480 + Math.floor(rng() * 60) : Math.floor(rng() * 40) - 20;
    a[i] = signed((1 + rng()) * 2 ** exponent);
    b[i] = signed((1 + rng()) * 2 ** (style === 0 ? Math.floor(rng() * 2098) - 1074 : exponent + Math.floor(rng() * 9) - 4));
  }
  return [nd.fromTypedArray(a, [n]), nd.fromTypedArray(b, [n])];
}

describe("hypot as glibc computes it, arctan2 within 4 ulps", () => {
  const [a, b] = randomPairs(200_000);
  const reference = evaluatePython({ a, b }, {
    hypot: "np.hypot(a, b)", hypotf: "np.hypot(a.astype(np.float32), b.astype(np.float32))",
    atan2: "np.arctan2(a, b)", atan2f: "np.arctan2(a.astype(np.float32), b.astype(np.float32))",
  });
  const [af, bf] = [nd.astype(a, "float32"), nd.astype(b, "float32")];

  function differences(ours: nd.NDArray, expected: nd.NDArray | undefined, ulps: number): { count: number; worst: number } {
    const x = ours.toTypedArray() as Float64Array;
    const y = (expected as nd.NDArray).toTypedArray() as Float64Array;
    let count = 0;
    let worst = 0;
    for (let i = 0; i < y.length; i++) {
      if (Object.is(x[i], y[i]) || (Number.isNaN(x[i]) && Number.isNaN(y[i]))) continue;
      const distance = ulpDistance(x[i], y[i], ours.dtype);
      worst = Math.max(worst, distance);
      if (distance > ulps) count++;
    }
    return { count, worst };
  }

  it("hypot: float64 and float32 bit for bit", () => {
    assert.deepEqual(differences(nd.hypot(a, b), reference.hypot.array, 0), { count: 0, worst: 0 });
    assert.deepEqual(differences(nd.hypot(af, bf), reference.hypotf.array, 0), { count: 0, worst: 0 });
  });

  it("arctan2: float64 and float32 within 4 ulps of NumPy (glibc or its AVX-512 SVML loops)", () => {
    for (const [ours, expected] of [[nd.arctan2(a, b), reference.atan2.array], [nd.arctan2(af, bf), reference.atan2f.array]] as const) {
      const { count, worst } = differences(ours, expected, 4);
      assert.equal(count, 0, `${ours.dtype}: ${count} beyond 4 ulps, worst ${worst}`);
    }
  });
});
