// genericFilter and genericFilter1d with int64, uint64 and bool inputs and outputs, against scipy
// 1.10 bit for bit (bool as its raw bytes): values near 2^53, 2^63 and 2^64 reach the function as
// doubles, and results the C casts wrap or saturate are stored as scipy stores them. generic_filter
// stores uint64 by NI_Correlate's sequence and generic_filter1d by the line buffers' (a probe of
// returned values below shows the difference: −2^63 − 4096 gives 2^63 − 4096 in one, 2^63 in the other).
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type FilterCase, type Rng, allModes, differences, drawCval, fuzzSeed, integer, kwargs, maybe, pick, report, rngOf } from "./filter-differential.js";
import { twins } from "./generic-twins.js";
import { wideArray, wideDtypes } from "./wide-inputs.js";

const outputs: ReadonlyArray<nd.DType | undefined> = [undefined, "int64", "uint64", "bool", "float64", "float32", "uint8", "int16"];

function wideCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const name = `x${Object.keys(inputs).length}`;
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, 1, 6));
  const narrow = rng() < 0.2;
  const x = narrow ? nd.fromTypedArray(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => pick(rng, [-1e19, 2 ** 63, -7.5, 3, 1e10, 2 ** 64])), shape) : wideArray(rng, pick(rng, wideDtypes), shape);
  inputs[name] = x;
  const twin = pick(rng, twins.filter((t) => t.extra === undefined));
  const options: Record<string, unknown> = {
    size: Array.from({ length: x.ndim }, () => integer(rng, 1, 3)),
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: narrow ? pick(rng, ["int64", "uint64", "bool"]) : pick(rng, outputs),
  };
  return {
    label: `${label} ${twin.name} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => ndimage.genericFilter(x, twin.ts, options),
    python: `ndi.generic_filter(${[name, twin.python, kwargs(options)].join(", ")})`,
  };
}

const lineSum = (i: Float64Array, o: Float64Array): void => {
  for (let k = 0; k < o.length; k++) o[k] = i[k] + 2 * i[i.length - o.length + k];
};

function wide1dCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const name = `x${Object.keys(inputs).length}`;
  const x = wideArray(rng, pick(rng, wideDtypes), Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, 1, 6)));
  inputs[name] = x;
  const size = integer(rng, 1, 4);
  const options: Record<string, unknown> = { axis: integer(rng, 0, x.ndim - 1), mode: maybe(rng, 0.8, () => pick(rng, allModes)), cval: maybe(rng, 0.5, () => drawCval(rng)), output: pick(rng, outputs) };
  return {
    label: `${label} ${x.dtype}[${x.shape}] size ${size} ${JSON.stringify(options)}`,
    run: () => ndimage.genericFilter1d(x, lineSum, size, options),
    python: `ndi.generic_filter1d(${name}, lambda i, o: o.__setitem__(slice(None), i[:len(o)] + 2 * i[len(i) - len(o):]), ${size}, ${kwargs(options)})`,
  };
}

// Returned values where the C casts to int64, uint64 and bool differ between scipy's loops.
const probe = [-1, -(2 ** 63) - 4096, -1e19, -(2 ** 64), -Infinity, 2 ** 64, 2 ** 63, 1e19, NaN, 255.9, 256, -1.5, 1e10, 7];

describe("genericFilter and genericFilter1d with int64, uint64 and bool, as scipy 1.10", () => {
  it("generic_filter: wide inputs and outputs, random modes, cval and sizes", async () => {
    const rng = rngOf(fuzzSeed + 42);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 120 }, (_, i) => wideCase(rng, inputs, `w${i}`));
    report(await differences(cases, inputs), "generic_filter (wide dtypes)", fuzzSeed + 42);
  });

  it("generic_filter1d: wide inputs and outputs, random axes, modes, cval and sizes", async () => {
    const rng = rngOf(fuzzSeed + 43);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 80 }, (_, i) => wide1dCase(rng, inputs, `v${i}`));
    report(await differences(cases, inputs), "generic_filter1d (wide dtypes)", fuzzSeed + 43);
  });

  it("store returned values into int64, uint64 and bool with each loop's casts", async () => {
    const inputs = { i: nd.fromTypedArray(Float64Array.from(probe, (_, k) => k), [probe.length]), vals: nd.fromTypedArray(Float64Array.from(probe), [probe.length]) };
    const cases: FilterCase[] = [];
    for (const output of ["int64", "uint64", "bool"] as const) {
      cases.push({
        label: `generic_filter → ${output}`,
        run: () => ndimage.genericFilter(inputs.i, (v: Float64Array) => probe[v[0]], { size: 1, output }),
        python: `ndi.generic_filter(i, lambda v: vals[int(v[0])], size=1, output=np.${output === "bool" ? "bool_" : output})`,
      }, {
        label: `generic_filter1d → ${output}`,
        run: () => ndimage.genericFilter1d(inputs.i, (_line: Float64Array, o: Float64Array) => o.set(probe), 1, { output }),
        python: `ndi.generic_filter1d(i, lambda l, o: o.__setitem__(slice(None), vals), 1, output=np.${output === "bool" ? "bool_" : output})`,
      });
    }
    report(await differences(cases, inputs), "generic filter stores", 0);
  });
});
