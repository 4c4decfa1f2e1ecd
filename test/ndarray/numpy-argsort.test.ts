// numpyArgsort against Debian's NumPy 1.24 np.argsort at test time: which of equal values comes
// first is what Dask's percentile merge reads its cumulative weights in (percentile.ts), so the
// order must be NumPy's exactly, ties included, across the insertion-sort cut-over (runs
// of more than 16 are partitioned: a run of 17 tells NumPy's cut-over from one a step off).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { numpyArgsort } from "../../src/ndarray/numpy-argsort.js";

const numpyScript = [
  "import json, sys, numpy as np",
  "cases = json.load(sys.stdin)",
  "print(json.dumps([np.argsort(np.array(c, dtype=np.float64)).tolist() for c in cases]))",
].join("\n");

describe("numpyArgsort", () => {
  it("gives np.argsort's order of equal values for many sizes (1 to 120) and few distinct values", () => {
    let state = 3;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cases: number[][] = [[0, 0, 0, 1, 6, 0, 0, 1, 1, 6, 0, 0, 0, 0, 3, 1, 1, 1, 1, 4], [NaN, 1, NaN, 0, ...Array<number>(15).fill(1)]];
    for (let k = 0; k < 300; k++) {
      const distinct = 1 + Math.floor(random() * 8);
      cases.push(Array.from({ length: 1 + Math.floor(random() * 120) }, () => Math.floor(random() * distinct)));
    }
    const input = JSON.stringify(cases.map((c) => c.map((v) => (Number.isNaN(v) ? null : v)))).replace(/null/g, "NaN");
    const expected = JSON.parse(execFileSync("/usr/bin/python3", ["-c", numpyScript], { input, encoding: "utf8" })) as number[][];
    const mismatches = cases.filter((c, i) => JSON.stringify(numpyArgsort(c)) !== JSON.stringify(expected[i]));
    assert.equal(mismatches.length, 0, `${mismatches.length} of ${cases.length} differ, first: ${JSON.stringify(mismatches[0])}`);
  });
});
