// valueIndices against scipy 1.10's value_indices on seeded random integer arrays of every integer
// dtype, 1–3-d, with and without ignoreValue: keys (and their order) and every index array, compared
// through one flat int64 encoding per case (key, count, then each axis's coordinates). Then refusals.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type FilterCase, type Rng, differences, fuzzSeed, integer, maybe, pick, report, rngOf } from "./filter-differential.js";
import { assertInvalidOption } from "./helpers.js";

const dtypes = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"] as const;

function encode(result: Map<number | bigint, nd.NDArray[]>): nd.NDArray {
  const out: bigint[] = [];
  for (const [key, axes] of result) {
    out.push(BigInt(key), BigInt(axes.length === 0 ? 0 : axes[0].size));
    for (const axis of axes) out.push(...(axis.toTypedArray() as BigInt64Array));
  }
  return nd.fromTypedArray(BigInt64Array.from(out), [out.length]);
}

function valueCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 2, 3, 5, 8]));
  const dtype = pick(rng, dtypes);
  const size = shape.reduce((a, b) => a * b, 1);
  const signed = dtype.startsWith("int");
  const spread = pick(rng, [2, 5, 40]);
  const values = Array.from({ length: size }, () => integer(rng, signed ? -spread : 0, spread));
  const name = `v${Object.keys(inputs).length}`;
  inputs[name] = nd.reshape(nd.astype(nd.array(values), dtype), shape);
  const ignoreValue = maybe(rng, 0.4, () => pick(rng, [0, 1, values[0]]));
  return {
    label: `${label} ${dtype}[${shape}] ignore ${ignoreValue}`,
    run: () => encode(ndimage.valueIndices(inputs[name], { ignoreValue })),
    python: `np.array([x for k, v in ndi.value_indices(${name}${ignoreValue === undefined ? "" : `, ignore_value=${ignoreValue}`}).items() for x in [int(k), len(v[0])] + [int(c) for axis in v for c in axis]], dtype=np.int64)`,
  };
}

describe("valueIndices against scipy 1.10", () => {
  it("every integer dtype, 1–3-d, ignoreValue: keys in order and index arrays", async () => {
    const rng = rngOf(fuzzSeed + 331);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 150 }, (_, i) => valueCase(rng, inputs, `v${i}`));
    report(await differences(cases, inputs), "valueIndices", fuzzSeed + 331);
  });

  it("refuses non-integer inputs and unknown options, naming them", () => {
    assertInvalidOption(() => ndimage.valueIndices(nd.array([1.5, 2])), "dtype float64");
    assertInvalidOption(() => ndimage.valueIndices(nd.astype(nd.array([1, 0]), "bool")), "dtype bool");
    assertInvalidOption(() => ndimage.valueIndices(nd.astype(nd.array([1, 0]), "int32"), { ignore_value: 0 } as never), "ignore_value");
  });
});
