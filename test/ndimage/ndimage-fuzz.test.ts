// Random scipy.ndimage calls against scipy 1.10: every image function of tessera/ndimage with
// random options (modes incl. grid-*, cval, origin, truncate/radius, order, footprints with holes,
// structures, iterations, border values, masks, sampling, index forms, interpolation orders 0–5),
// inputs of 1–3 axes of 1–40 cells (size-1 axes included) in nine dtypes (NaN and ±inf among the
// floats), compared bit for bit unless a case states its tolerance (ndimage-fuzz-run.ts).
// Fixed seeds here; explore others with TESSERA_FUZZ_SEED=n TESSERA_FUZZ_COUNT=n
// (TESSERA_FUZZ_ONLY=name,name draws only those functions).
// Run alone, export OPENBLAS_CORETYPE as scripts/test.sh does: on an AVX-512 CPU scipy's
// references (rotate's and the order-2 Gaussian's dot products) otherwise differ in the last bit.
import { describe, it } from "node:test";
import { differences, report } from "./differential-harness.js";
import { drawCase, harnessCases, seedsFrom } from "./ndimage-fuzz-run.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261206);
const count = Number(process.env.TESSERA_FUZZ_COUNT ?? 4000);
const only = process.env.TESSERA_FUZZ_ONLY?.split(",");

describe(`random scipy.ndimage calls, eager (seeds ${seed}…${seed + count - 1})`, () => {
  it("match scipy's dtype, shape and values, or refuse where scipy raises", async () => {
    const { cases, inputs } = harnessCases(seedsFrom(seed, count).map((s) => drawCase(s, only)), "eager");
    report(await differences(cases, inputs), "eager ndimage fuzz", seed);
  });
});
