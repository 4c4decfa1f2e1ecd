// zoom, shift, affineTransform, mapCoordinates and the spline filters against scipy 1.10 run at
// test time: every dtype × order 0–5 × boundary mode × 1-D/2-D/3-D case must give the same
// dtype, shape and bits.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { type InterpolationCase, type InterpolationFixtures, generateInterpolationFixtures } from "./interpolation-fixtures.js";
import { maxUlpDifference } from "./scipy-fixtures.js";

type Call = (input: NDArray, options: Record<string, unknown>, coordinates?: NDArray) => NDArray;

const functions: Record<string, Call> = {
  zoom: (x, o) => ndimage.zoom(x, o as unknown as ndimage.ZoomOptions),
  shift: (x, o) => ndimage.shift(x, o as unknown as ndimage.ShiftOptions),
  affineTransform: (x, o) => ndimage.affineTransform(x, o as unknown as ndimage.AffineTransformOptions),
  mapCoordinates: (x, o, c) => ndimage.mapCoordinates(x, c as NDArray, o),
  splineFilter: (x, o) => ndimage.splineFilter(x, o),
  splineFilter1d: (x, o) => ndimage.splineFilter1d(x, o),
};

let fixtures: InterpolationFixtures;

before(() => {
  fixtures = generateInterpolationFixtures();
});

/** How far apart two results are: differing cells, and the worst gap in ulps (floats) or units (integers). */
function describeDifference(actual: NDArray, expected: NDArray): string | null {
  const a = actual.data as Float64Array;
  const e = expected.data as Float64Array;
  let count = 0;
  let first = -1;
  for (let i = 0; i < e.length; i++) {
    if (!Object.is(a[i], e[i])) {
      count++;
      if (first < 0) first = i;
    }
  }
  if (count === 0) return null;
  const float = expected.dtype === "float32" || expected.dtype === "float64";
  const worst = float ? `${maxUlpDifference(actual, expected)} ulp` : `${Math.max(...e.map((v, i) => Math.abs(v - a[i])))} units`;
  return `${count} of ${e.length} cells differ (worst ${worst}; first at ${first}: ${a[first]} vs ${e[first]})`;
}

function check(c: InterpolationCase): string | null {
  const input = fixtures.array(c.input);
  const expected = fixtures.array(c.expected);
  const coordinates = c.coordinates ? fixtures.array(c.coordinates) : undefined;
  const actual = functions[c.fn](input, c.options, coordinates);
  if (actual.dtype !== expected.dtype || actual.shape.join() !== expected.shape.join()) {
    return `${c.id}: got ${actual.dtype}[${actual.shape}] expected ${expected.dtype}[${expected.shape}]`;
  }
  const difference = describeDifference(actual, expected);
  return difference === null ? null : `${c.id}: ${difference}`;
}

describe("interpolation is bit-identical to scipy 1.10", () => {
  it("runs against scipy 1.10", () => {
    assert.match(fixtures.scipy, /^1\.10\./);
  });
  for (const fn of Object.keys(functions)) {
    it(`${fn}: every generated case (dtype × order × mode × dimension)`, () => {
      const cases = fixtures.cases.filter((c) => c.fn === fn);
      assert.ok(cases.length > 0, `no cases for ${fn}`);
      const failures = cases.map(check).filter((failure): failure is string => failure !== null);
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${cases.length} ${fn} cases differ from scipy`);
    });
  }
});
