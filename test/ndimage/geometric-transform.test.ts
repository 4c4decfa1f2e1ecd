// geometricTransform against scipy 1.10's geometric_transform, bit for bit: the same mapping written
// twice (TypeScript and Python, the same float operations in the same order) — scale and shift,
// another output rank, extraArguments, extraKeywords, NaN and far-out coordinates — with every
// order 0–5, mode, cval, prefilter, outputShape and output dtype on every interpolated dtype.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type FilterCase, type Rng, differences, fuzzSeed, integer, pick, py, report, rngOf } from "./filter-differential.js";
import { modes, randomInput } from "./interpolation-cases.js";
import { assertInvalidOption } from "./helpers.js";

interface Mapping { ts: ndimage.CoordinateMapping; python: string; outputNdim?: number; extraArguments?: unknown[]; extraKeywords?: Record<string, unknown>; pyExtra?: string }

function drawMapping(rng: Rng, ndim: number): Mapping {
  const kind = pick(rng, ["affine", "rank", "argument", "keyword", "nan"] as const);
  const scale = Array.from({ length: ndim }, () => pick(rng, [1, 0.5, 1.3, -0.7, 2]));
  const offset = Array.from({ length: ndim }, () => pick(rng, [0, 0.25, -1.5, 3.1, 0.5]));
  if (kind === "affine") {
    return { ts: (c) => c.map((v, a) => v * scale[a] + offset[a]), python: `lambda c: tuple(v * s + t for v, s, t in zip(c, ${py(scale)}, ${py(offset)}))` };
  }
  if (kind === "rank") {
    // One more output axis than input axes: input axis a reads output axes a and a + 1.
    return { ts: (c) => offset.map((t, a) => c[a] + 0.5 * c[a + 1] + t), python: `lambda c: tuple(c[a] + 0.5 * c[a + 1] + t for a, t in enumerate(${py(offset)}))`, outputNdim: ndim + 1 };
  }
  if (kind === "argument") {
    return { ts: ((c: number[], k: number) => c.map((v) => v / k)) as ndimage.CoordinateMapping, python: "lambda c, k: tuple(v / k for v in c)", extraArguments: [1.7], pyExtra: "extra_arguments=(1.7,)" };
  }
  if (kind === "keyword") {
    return { ts: ((c: number[], kw: { d: number }) => c.map((v) => v - kw.d)) as ndimage.CoordinateMapping, python: "lambda c, d=0: tuple(v - d for v in c)", extraKeywords: { d: 0.3 }, pyExtra: "extra_keywords={'d': 0.3}" };
  }
  return { ts: (c) => c.map((v) => (v === 1 ? NaN : v === 2 ? 1e6 : v + 0.5)), python: "lambda c: tuple(float('nan') if v == 1 else 1e6 if v == 2 else v + 0.5 for v in c)" };
}

function transformCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 7));
  const dtype = pick(rng, ["uint8", "uint16", "int8", "int16", "int32", "float32", "float64"] as const);
  const name = `g${Object.keys(inputs).length}`;
  inputs[name] = randomInput(rng, shape, dtype);
  const mapping = drawMapping(rng, ndim);
  const outputNdim = mapping.outputNdim ?? ndim;
  const outputShape = outputNdim !== ndim || rng() < 0.3 ? Array.from({ length: outputNdim }, () => integer(rng, 1, 6)) : undefined;
  const options = {
    outputShape, order: integer(rng, 0, 5), mode: pick(rng, modes), cval: pick(rng, [0, 1.5, -7, 100]), prefilter: rng() < 0.75,
    output: rng() < 0.25 ? pick(rng, ["float32", "float64", "uint8", "int16", "int32", "uint16"] as const) : undefined,
    extraArguments: mapping.extraArguments, extraKeywords: mapping.extraKeywords,
  };
  const keywords = [
    outputShape === undefined ? "" : `output_shape=${py(outputShape)}`, `order=${options.order}`, `mode='${options.mode}'`, `cval=${py(options.cval)}`,
    `prefilter=${py(options.prefilter)}`, options.output === undefined ? "" : `output=np.${options.output}`, mapping.pyExtra ?? "",
  ].filter(Boolean).join(", ");
  return {
    label: `${label} ${dtype}[${shape}] ${JSON.stringify(options)} ${mapping.python}`,
    run: () => ndimage.geometricTransform(inputs[name], mapping.ts, options as ndimage.GeometricTransformOptions),
    python: `ndi.geometric_transform(${name}, ${mapping.python}, ${keywords})`,
  };
}

describe("geometricTransform against scipy 1.10", () => {
  it("mappings (rank change, extra arguments and keywords, NaN), orders 0–5, modes, dtypes: bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 351);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 250 }, (_, i) => transformCase(rng, inputs, `t${i}`));
    report(await differences(cases, inputs), "geometricTransform", fuzzSeed + 351);
  });

  it("refuses a mapping of the wrong rank or type and unknown options, naming them", () => {
    const x = nd.array([[1, 2], [3, 4]]);
    assertInvalidOption(() => ndimage.geometricTransform(x, (c) => [c[0]]), "2 input coordinates");
    assertInvalidOption(() => ndimage.geometricTransform(x, (() => ["a", "b"]) as never), "coordinates are numbers");
    assertInvalidOption(() => ndimage.geometricTransform(x, (c) => c, { output_shape: [2, 2] } as never), "outputShape");
    assertInvalidOption(() => ndimage.geometricTransform(x, (c) => c, { order: 6 }), "order");
    assertInvalidOption(() => ndimage.geometricTransform(x, "shift" as never), "mapping must be a function");
  });
});
