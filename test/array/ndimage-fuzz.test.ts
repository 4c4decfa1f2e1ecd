// Random dask-image style calls (tessera/array's ndimage on chunked arrays) against scipy.ndimage
// 1.10 on the whole array — dask-image's promise — with the eager fuzzer's cases
// (test/ndimage/ndimage-fuzz-run.ts) over random regular and irregular chunks: size-1 blocks,
// blocks smaller than the filter's reach, one block. Labels are compared as numbered (the
// chunked label gives scipy's numbering, label.ts). Fixed seeds here; explore others with
// TESSERA_FUZZ_SEED=n TESSERA_FUZZ_COUNT=n (TESSERA_FUZZ_ONLY=name,name draws only those).
// Run alone, export OPENBLAS_CORETYPE as scripts/test.sh does: on an AVX-512 CPU scipy's
// references (rotate's and the order-2 Gaussian's dot products) otherwise differ in the last bit.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { differences, report } from "../ndimage/differential-harness.js";
import { type Drawn, drawCase, harnessCases, lazyOf } from "../ndimage/ndimage-fuzz-run.js";
import { describeOnCluster } from "./cluster-sample.js";
import { documented } from "./ndimage-fuzz-documented.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261206);
const count = Number(process.env.TESSERA_FUZZ_COUNT ?? 700);
const only = process.env.TESSERA_FUZZ_ONLY?.split(",");

/** Draws until `count` cases have a chunked form (some options are eager-only by design, each case says why). */
function chunkedCases(from: number, wanted: number, names: readonly string[] | undefined): Drawn[] {
  const out: Drawn[] = [];
  for (let s = from; out.length < wanted; s++) {
    const d = documented(drawCase(s, names));
    if (d !== null) out.push(d);
  }
  return out;
}

describe(`random dask-image calls on chunked arrays (seeds from ${seed}, ${count} cases)`, () => {
  it("match scipy on the whole array: dtype, shape and values, or refuse where scipy raises", async () => {
    const { cases, inputs } = harnessCases(chunkedCases(seed, count, only), "chunked");
    report(await differences(cases, inputs), "chunked ndimage fuzz", seed);
  });
});

// Chunked cases with several blocks, whose halos, merges and partials travel between workers.
describeOnCluster("10 random dask-image calls", () => {
  const lazies = chunkedCases(20261206, 80, undefined /* the whole catalogue, whatever TESSERA_FUZZ_ONLY says */).filter((d) => d.chunks.reduce((a, c) => a * c.length, 1) >= 3).map((d) => {
    try {
      return lazyOf(d);
    } catch {
      return null; // refused while building (scipy raises there too: the test above checks)
    }
  });
  const picked = lazies.filter((lazy): lazy is ta.Array => lazy !== null).slice(0, 10);
  assert.equal(picked.length, 10, "the cluster sample draws 10 calls of 3 or more blocks");
  return picked;
});
