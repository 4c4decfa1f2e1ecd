import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import { stagedLimit } from "../../src/ndimage/staged-lines.js";
import { sameBits, sliceRegion } from "./helpers.js";
import { type Fixtures, generateFixtures } from "./scipy-fixtures.js";
import { type CaseRunner, failingCases } from "./fixture-cases.js";

type Options = Record<string, unknown>;
const functions: Record<string, CaseRunner> = {
  minimumFilter: (x, o) => ndimage.minimumFilter(x, o as ndimage.FootprintFilterOptions),
  maximumFilter: (x, o) => ndimage.maximumFilter(x, o as ndimage.FootprintFilterOptions),
  minimumFilter1d: (x, o) => ndimage.minimumFilter1d(x, o as unknown as ndimage.MinMaxFilter1dOptions),
  maximumFilter1d: (x, o) => ndimage.maximumFilter1d(x, o as unknown as ndimage.MinMaxFilter1dOptions),
  medianFilter: (x, o) => ndimage.medianFilter(x, o as ndimage.FootprintFilterOptions),
  rankFilter: (x, o) => ndimage.rankFilter(x, o as unknown as ndimage.RankFilterOptions),
  percentileFilter: (x, o) => ndimage.percentileFilter(x, o as unknown as ndimage.PercentileFilterOptions),
  greyErosion: (x, o) => ndimage.greyErosion(x, o as ndimage.GreyMorphologyOptions),
  greyDilation: (x, o) => ndimage.greyDilation(x, o as ndimage.GreyMorphologyOptions),
  greyOpening: (x, o) => ndimage.greyOpening(x, o as ndimage.GreyMorphologyOptions),
  greyClosing: (x, o) => ndimage.greyClosing(x, o as ndimage.GreyMorphologyOptions),
  whiteTophat: (x, o) => ndimage.whiteTophat(x, o as ndimage.GreyMorphologyOptions),
  blackTophat: (x, o) => ndimage.blackTophat(x, o as ndimage.GreyMorphologyOptions),
};

let fixtures: Fixtures;
before(() => {
  fixtures = generateFixtures("generate-rank-fixtures.py");
});
after(() => fixtures?.close());

/** A sub-box of every case's output, computed alone, must equal the same box of the full result. */
function regionRunner(run: CaseRunner): CaseRunner {
  return (x, o, c) => {
    const full = run(x, o, c);
    const start = x.shape.map((n) => Math.floor(n / 3));
    const stop = x.shape.map((n, a) => Math.max(start[a], n - Math.floor(n / 4)));
    const part = run(x, { ...o, outputRegion: { start, stop } } as Options, c);
    if (!sameBits(part, sliceRegion(full, start, stop))) throw new Error(`outputRegion ${JSON.stringify({ start, stop })} differs`);
    return full;
  };
}

for (const [backend, staged] of [["wasm", true], ["wasm", false], ["js", false]] as const) {
  describe(`rank filters and grey morphology are bit-identical to scipy 1.10 (${backend} loops${backend === "wasm" ? (staged ? ", source rows staged once" : ", rows staged per line") : ""})`, () => {
    const limit = stagedLimit.bytes;
    before(() => {
      stagedLimit.bytes = staged ? limit : 0;
    });
    after(() => {
      stagedLimit.bytes = limit;
    });
    for (const [fn, run] of Object.entries(functions)) {
      it(`${fn}: every fixture case (values and dtype)`, () => {
        const { failures, total } = failingCases(fixtures, fn, (x, o, c) => run(x, { ...o, backend }, c));
        assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${total} ${fn} cases differ from scipy`);
      });
    }
  });
}

describe("outputRegion", () => {
  for (const fn of ["minimumFilter", "medianFilter", "rankFilter", "greyErosion", "greyOpening", "whiteTophat", "blackTophat"]) {
    it(`${fn}: an outputRegion equals the same box of the whole result`, () => {
      const { failures, total } = failingCases(fixtures, fn, regionRunner(functions[fn]));
      assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${total} ${fn} cases differ`);
    });
  }
});
