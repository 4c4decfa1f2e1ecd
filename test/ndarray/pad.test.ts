import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type AnchorSuite, type ArraySpec, Mismatches, decode, difference, loadSuite } from "./numpy-anchor.js";

interface PadCase {
  a: ArraySpec; padWidth: nd.PadWidth; mode: nd.PadMode; constantValue: number | null; result?: ArraySpec; error?: string;
}

describe("pad against np.pad", () => {
  let suite: AnchorSuite<PadCase>;
  before(() => { suite = loadSuite<PadCase>("pad"); });

  for (const mode of ["constant", "edge", "symmetric", "reflect", "wrap"] as const) {
    it(`${mode}: 1-D to 3-D arrays, widths 0 to 13 (longer than the axis), asymmetric and per-axis widths`, () => {
      const mismatches = new Mismatches();
      const cases = suite.cases.filter((c) => c.mode === mode);
      assert.ok(cases.length >= 50);
      for (const c of cases) {
        const a = decode(c.a, suite.blob);
        const options = { mode, ...(c.constantValue === null ? {} : { constantValue: c.constantValue }) };
        const label = `[${a.shape}] ${a.dtype} by ${JSON.stringify(c.padWidth)} ${JSON.stringify(options)}`;
        if (c.error) {
          try {
            nd.pad(a, c.padWidth, options);
            mismatches.add(label, `no error (NumPy: ${c.error})`);
          } catch (error) {
            mismatches.add(label, error instanceof InvalidOptionError ? undefined : String(error));
          }
          continue;
        }
        mismatches.add(label, difference(nd.pad(a, c.padWidth, options), decode(c.result as ArraySpec, suite.blob)));
      }
      assert.equal(mismatches.count, 0, mismatches.report());
    });
  }

  it("keeps NumPy's non-periodic result for long reflect pads ([1, 2, 3] by (1, 10))", () => {
    // np.pad([1, 2, 3], (1, 10), "reflect") — the literal NumPy 1.24 answer.
    assert.deepEqual(nd.pad(nd.array([1, 2, 3]), [1, 10], { mode: "reflect" }).toArray(), [2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 1, 2, 3]);
  });

  it("pads a strided view and leaves the input untouched", () => {
    const base = nd.reshape(nd.arange(12, "int16"), [3, 4]);
    const view = nd.slice(base, { step: -2 }, { start: 1, stop: 3 });
    for (const mode of ["constant", "edge", "symmetric", "reflect", "wrap"] as const) {
      const fromView = nd.pad(view, [[0, 3], [4, 1]], { mode });
      assert.equal(difference(fromView, nd.pad(nd.copy(view), [[0, 3], [4, 1]], { mode })), undefined, mode);
    }
    assert.equal(difference(base, nd.reshape(nd.arange(12, "int16"), [3, 4])), undefined);
  });

  it("refuses bad widths and modes, and out-of-range constants (NumPy 2)", () => {
    const a = nd.zeros([2, 2], "uint8");
    assert.throws(() => nd.pad(a, -1), { name: "InvalidOptionError", message: /-1/ });
    assert.throws(() => nd.pad(a, [[1, 1], [1, 1], [1, 1]]), InvalidOptionError);
    assert.throws(() => nd.pad(a, 1, { mode: "mean" as nd.PadMode }), { message: /"mean"/ });
    assert.throws(() => nd.pad(a, 1, { constantValue: 300 }), { message: /300.*uint8/ });
  });
});
