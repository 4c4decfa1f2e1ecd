// ta.ndimage.genericLaplace and genericGradientMagnitude against scipy 1.10's generic_laplace and
// generic_gradient_magnitude on the whole array, bit for bit: seeded random chunkings (blocks
// smaller than the halo among them), the derivatives of test/ndimage/derivative-twins.ts with the
// user's depth, modes (wrap on every term: a periodic halo), cval, output dtypes, on the local
// executor; then on a LocalCluster of 2 workers × 1 thread, where the derivative travels to the
// worker processes by its source. Refusals: no depth, a mode list mixing wrap, what cannot travel.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { randomArray, randomChunks } from "./differential-inputs.js";
import { evaluatePython, assertSameArray } from "./python-eval.js";
import { type FilterCase, type Rng, allModes, differences, drawCval, fuzzSeed, integer, maybe, pick, py, report, rngOf } from "../ndimage/filter-differential.js";
import { twins } from "../ndimage/derivative-twins.js";
import { useCluster2x1 } from "./cluster-sample.js";

const dtypes: readonly nd.DType[] = ["uint8", "int16", "int32", "float32", "float64"];

function lazyCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 3, 6, 11, 17]));
  const name = `x${Object.keys(inputs).length}`;
  const x = randomArray(rng, pick(rng, dtypes), shape, { specials: rng() < 0.3 });
  inputs[name] = x;
  const chunks = shape.map((n) => randomChunks(rng, n));
  const twin = pick(rng, twins);
  const magnitude = rng() < 0.5;
  const mode = maybe(rng, 0.8, () => (rng() < 0.5 ? pick(rng, allModes) : shape.map(() => pick(rng, allModes.filter((m) => !m.includes("wrap"))))));
  const options = {
    depth: 3, mode, cval: maybe(rng, 0.5, () => drawCval(rng)), output: maybe(rng, 0.3, () => pick(rng, dtypes)),
    extraArguments: twin.extraArguments, extraKeywords: twin.extraKeywords,
  };
  const keywords = [
    options.output === undefined ? "" : `output=np.${options.output}`, mode === undefined ? "" : `mode=${py(mode)}`,
    options.cval === undefined ? "" : `cval=${py(options.cval)}`, twin.pyExtra,
  ].filter(Boolean).join(", ");
  const fn = magnitude ? ta.ndimage.genericGradientMagnitude : ta.ndimage.genericLaplace;
  return {
    label: `${label} ${magnitude ? "gradientMagnitude" : "laplace"} ${twin.name} ${x.dtype}[${x.shape}] chunks ${JSON.stringify(chunks)} ${JSON.stringify(options)}`,
    run: () => fn(ta.fromArray(x, { chunks }), twin.ts, options as ta.ndimage.LazyGenericDerivativeOptions).compute(),
    python: `ndi.${magnitude ? "generic_gradient_magnitude" : "generic_laplace"}(${name}, ${twin.python}${keywords ? `, ${keywords}` : ""})`,
  };
}

describe("ta.ndimage.genericLaplace / genericGradientMagnitude against scipy 1.10 on the whole array (local executor)", () => {
  it("equals scipy bit for bit on random chunkings, derivatives, modes, cval and outputs", async () => {
    const rng = rngOf(fuzzSeed + 361);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 80 }, (_, i) => lazyCase(rng, inputs, `c${i}`));
    report(await differences(cases, inputs), "chunked generic derivatives", fuzzSeed + 361);
  });

  it("refuses a missing depth, a mode list mixing wrap, and values that cannot travel, naming them", () => {
    const x = ta.fromArray(nd.zeros([8, 8]), { chunks: [4, 4] });
    const says = (call: () => unknown, pattern: RegExp): void => {
      assert.throws(call, (error: unknown) => error instanceof InvalidOptionError && pattern.test(error.message));
    };
    says(() => ta.ndimage.genericLaplace(x, twins[0].ts, {} as never), /give depth/);
    says(() => ta.ndimage.genericLaplace(x, twins[0].ts, { depth: [1] }), /depth \[1\]/);
    says(() => ta.ndimage.genericGradientMagnitude(x, twins[0].ts, { depth: 1, mode: ["wrap", "reflect"] }), /mixes wrap/);
    says(() => ta.ndimage.genericLaplace(x, twins[0].ts, { depth: 1, extraArguments: [() => 1] }), /extraArguments\[0\] is a function/);
    says(() => ta.ndimage.genericLaplace(x, nd.sum as never, { depth: 1 }), /built-in "ndarray.sum"/);
  });
});

describe("ta.ndimage.genericGradientMagnitude on a LocalCluster of 2 workers × 1 thread", () => {
  useCluster2x1();

  it("runs the derivative on the workers and equals scipy", async () => {
    const image = randomArray(rngOf(fuzzSeed + 362), "float32", [13, 10], { small: false });
    const lazy = ta.fromArray(image, { chunks: [[4, 4, 5], [3, 3, 4]] });
    const sobel = twins[3];
    const weights = twins[1];
    const [magnitude, laplace] = await Promise.all([
      ta.ndimage.genericGradientMagnitude(lazy, sobel.ts, { depth: 1, mode: "mirror" }).compute(),
      ta.ndimage.genericLaplace(lazy, weights.ts, { depth: 1, mode: "wrap", extraArguments: weights.extraArguments, output: "float64" }).compute(),
    ]);
    const expected = evaluatePython({ image }, {
      magnitude: `ndi.generic_gradient_magnitude(image, ${sobel.python}, mode='mirror')`,
      laplace: `ndi.generic_laplace(image, ${weights.python}, mode='wrap', output=np.float64, ${weights.pyExtra})`,
    });
    assertSameArray(magnitude, expected.magnitude.array as nd.NDArray, "gradient magnitude");
    assertSameArray(laplace, expected.laplace.array as nd.NDArray, "laplace");
  });
});
