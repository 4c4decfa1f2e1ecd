// NumPy's float64 exp as it runs on this machine (src/ndimage/numpy-exp.ts): scipy's Gaussian
// weights come from np.exp, which is NumPy's AVX-512 loop on CPUs with AVX-512 and glibc's exp
// (glibc-exp.ts) on the others. Both are checked here against the machine's own NumPy and C
// library, over the ranges Gaussian weights take and every range of glibc's algorithm.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { glibcExp } from "../../src/ndimage/glibc-exp.js";
import { numpyExp, numpyExpPath, numpyExpPathFor } from "../../src/ndimage/numpy-exp.js";
import { evaluatePython } from "../array/python-eval.js";
import { seededRandom } from "./helpers.js";

const random = seededRandom(20261204);
const uniform = (count: number, low: number, high: number): number[] => Array.from({ length: count }, () => low + (high - low) * random());
const gaussianExponents = Array.from({ length: 400 }, (_, k) => 0.3 + k / 8).flatMap((sigma) =>
  Array.from({ length: Math.ceil(4 * sigma) + 1 }, (_, x) => (-0.5 / (sigma * sigma)) * (x * x)));
const values = [
  ...gaussianExponents,
  ...uniform(20_000, -745.2, 709.7), // every range at once
  ...uniform(5_000, -745.2, -708), // subnormal results (glibc's special case, k < 0)
  ...uniform(5_000, -708, -512), // glibc's special case, normal results
  ...uniform(5_000, 512, 709.7), // glibc's special case, k > 0
  ...uniform(2_000, -1e-10, 1e-10), // |x| < 2^-54 returns 1 + x
  0, -0, Infinity, -Infinity, NaN, 709.78, -745.13, -745.14,
];
const x = nd.array(Float64Array.from(values));
const reference = evaluatePython({ x }, {
  numpy: "np.exp(x)",
  libm: "np.array([__import__('math').exp(v) for v in x.tolist()])",
});

function mismatches(ours: (value: number) => number, theirs: Float64Array): string[] {
  const found: string[] = [];
  values.forEach((value, i) => {
    const got = ours(value);
    if (!Object.is(got, theirs[i])) found.push(`exp(${value}) = ${got}, expected ${theirs[i]}`);
  });
  return found;
}

describe("numpyExp", () => {
  it("equals this machine's np.exp bit for bit, whichever path NumPy takes here", () => {
    assert.equal(reference.numpy.error, undefined, String(reference.numpy.error));
    const found = mismatches(numpyExp, (reference.numpy.array as nd.NDArray).data as Float64Array);
    assert.deepEqual(found.slice(0, 5), [], `${found.length} of ${values.length} differ (path ${numpyExpPath()})`);
  });

  it("takes NumPy's AVX-512 loop where the CPU has AVX-512F, else glibc's FMA build where glibc runs it (FMA and AVX2, or FMA4)", () => {
    assert.equal(numpyExpPathFor(new Set(["avx2", "fma", "avx512f", "avx512dq"])), "avx512");
    assert.equal(numpyExpPathFor(new Set(["avx2", "fma"])), "glibc-fma");
    assert.equal(numpyExpPathFor(new Set(["fma4"])), "glibc-fma");
    assert.equal(numpyExpPathFor(new Set(["avx", "fma"])), "glibc");
    assert.equal(numpyExpPathFor(new Set(["sse2"])), "glibc");
  });
});

describe("glibcExp", () => {
  it("equals the C library's exp bit for bit where glibc runs its FMA build", (t) => {
    if (numpyExpPath() !== "glibc-fma" && numpyExpPath() !== "avx512") {
      t.skip("this CPU has no FMA: glibc runs its SSE2 build, which the fused variant does not follow");
      return;
    }
    assert.equal(reference.libm.error, undefined, String(reference.libm.error));
    const found = mismatches((value) => glibcExp(value, true), (reference.libm.array as nd.NDArray).data as Float64Array);
    assert.deepEqual(found.slice(0, 5), [], `${found.length} of ${values.length} differ`);
  });
});
