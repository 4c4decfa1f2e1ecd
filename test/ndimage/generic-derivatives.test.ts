// genericLaplace and genericGradientMagnitude against scipy 1.10's generic_laplace and
// generic_gradient_magnitude, bit for bit: the same derivative written twice (tessera's
// correlate1d / sobel, scipy's), with extraArguments and extraKeywords, per-axis modes, cval,
// every filter dtype in and out (integer sums and squares wrap; the root casts unsafely),
// 1–3-d and 0-d inputs. Then the refusals.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type FilterCase, type Rng, allModes, differences, drawCval, drawInput, drawOutput, fuzzSeed, maybe, oneOrPerAxis, pick, py, report, rngOf } from "./filter-differential.js";
import { assertInvalidOption } from "./helpers.js";
import { twins } from "./derivative-twins.js";

function derivativeCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const twin = pick(rng, twins);
  const magnitude = rng() < 0.5;
  const options = {
    output: drawOutput(rng), mode: maybe(rng, 0.8, () => oneOrPerAxis(rng, x.ndim, () => pick(rng, allModes))), cval: maybe(rng, 0.5, () => drawCval(rng)),
    extraArguments: twin.extraArguments, extraKeywords: twin.extraKeywords,
  };
  const fn = magnitude ? ndimage.genericGradientMagnitude : ndimage.genericLaplace;
  const keywords = [
    options.output === undefined ? "" : `output=np.${options.output}`, options.mode === undefined ? "" : `mode=${py(options.mode)}`,
    options.cval === undefined ? "" : `cval=${py(options.cval)}`, twin.pyExtra,
  ].filter(Boolean).join(", ");
  return {
    label: `${label} ${magnitude ? "gradientMagnitude" : "laplace"} ${twin.name} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => fn(x, twin.ts, options as ndimage.GenericDerivativeOptions),
    python: `ndi.${magnitude ? "generic_gradient_magnitude" : "generic_laplace"}(${name}, ${twin.python}${keywords ? `, ${keywords}` : ""})`,
  };
}

describe("genericLaplace and genericGradientMagnitude against scipy 1.10", () => {
  it("user derivatives with extra arguments and keywords, modes, cval, every dtype: bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 341);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 250 }, (_, i) => derivativeCase(rng, inputs, `d${i}`));
    inputs.zero = nd.array(2.5);
    cases.push({ label: "0-d copies", run: () => ndimage.genericLaplace(inputs.zero, twins[0].ts, { output: "int16" }), python: "ndi.generic_laplace(zero, lambda *a: None, output=np.int16)" });
    report(await differences(cases, inputs), "generic derivatives", fuzzSeed + 341);
  });

  it("refuses a derivative that returns another dtype or shape, and unknown options, naming them", () => {
    const x = nd.array([[1, 2], [3, 4]]);
    assertInvalidOption(() => ndimage.genericLaplace(x, (v) => nd.astype(v, "float32")), "dtype float32");
    assertInvalidOption(() => ndimage.genericGradientMagnitude(x, () => nd.array([1, 2])), "shape [2]");
    assertInvalidOption(() => ndimage.genericLaplace(x, (() => 3) as never), "must return an NDArray");
    assertInvalidOption(() => ndimage.genericLaplace(x, twins[0].ts, { extra_arguments: [] } as never), "extraArguments");
    assertInvalidOption(() => ndimage.genericLaplace(x, twins[0].ts, { mode: ["reflect"] }), "mode");
    assertInvalidOption(() => ndimage.genericLaplace(x, "sobel" as never), "derivative must be a function");
  });
});
