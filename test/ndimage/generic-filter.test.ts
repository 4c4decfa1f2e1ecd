// genericFilter / genericFilter1d: refusals that name the bad input, the halo they declare to
// mapOverlap (kernelRadius), outputRegion, and the builtin names they travel under.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { builtinNameOf } from "../../src/core/builtin.js";
import { assertInvalidOption, randomArray, seededRandom } from "./helpers.js";

const image = randomArray([5, 6], "float64", seededRandom(3));
const sum = (v: Float64Array): number => v.reduce((a, b) => a + b, 0);
const line = (i: Float64Array, o: Float64Array): void => o.set(i.subarray(0, o.length));

describe("genericFilter and genericFilter1d", () => {
  it("refuse a function that is not a function, naming it", () => {
    assertInvalidOption(() => ndimage.genericFilter(image, "max" as never, { size: 3 }), "function must be a function, got string");
    assertInvalidOption(() => ndimage.genericFilter1d(image, undefined as never, 3), "function must be a function, got undefined");
  });

  it("refuse unknown options, size with footprint, neither, a list of modes and bad extras", () => {
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, extra_arguments: [1] } as never), 'unknown option "extra_arguments"');
    assertInvalidOption(() => ndimage.genericFilter1d(image, line, 3, { size: 3 } as never), 'unknown option "size"');
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, footprint: [[1, 1]] }), "give size or footprint, not both");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, {}), "needs size or footprint");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, undefined as never), "needs an options object");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { footprint: [1, 1, 1] }), "footprint has shape [3]");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { footprint: [[0, 0]] }), "no true cell");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: [3, 3, 3] }), "size [3,3,3] has 3 entries");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, mode: ["wrap", "wrap"] as never }), "mode must be one mode");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, mode: "periodic" as never }), 'mode "periodic"');
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, origin: 2 }), "origin 2 is invalid");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, extraArguments: 2 as never }), "extraArguments must be a list");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, extraKeywords: [1] as never }), "extraKeywords must be an object");
    assertInvalidOption(() => ndimage.genericFilter(image, sum, { size: 3, output: "float16" as never }), 'output dtype "float16" is not a dtype');
    assertInvalidOption(() => ndimage.genericFilter1d(image, line, 0), "filterSize 0");
    assertInvalidOption(() => ndimage.genericFilter1d(image, line, 3, { axis: 2 }), "axis 2");
    assertInvalidOption(() => ndimage.genericFilter1d(image, line, 3, { origin: -2 }), "origin -2");
  });

  it("refuse a result that is not a number, naming the function and what it returned", () => {
    function label(): string {
      return "big";
    }
    for (const [fn, says] of [[label, /function label returned string "big"/], [() => true, /returned boolean true/], [() => undefined, /returned undefined/]] as const) {
      assert.throws(() => ndimage.genericFilter(image, fn as never, { size: 3 }), (error: unknown) => {
        assert.ok(error instanceof ndimage.FilterFunctionError, String(error));
        assert.match((error as Error).message, says);
        return true;
      });
    }
  });

  it("pass extraArguments, then extraKeywords as one last argument", () => {
    const seen: unknown[][] = [];
    ndimage.genericFilter(nd.ones([1, 1]), (...args: unknown[]) => (seen.push(args.slice(1)), 0), { size: 1, extraArguments: [1, "a"], extraKeywords: { k: 2 } });
    assert.deepEqual(seen, [[1, "a", { k: 2 }]]);
  });

  it("declare the halo they read: the footprint's reach after the origin, and the 1-d window's on its axis", () => {
    assert.deepEqual(ndimage.genericFilter.kernelRadius({ size: [3, 5], origin: [0, 1] }, 2), [1, 3]);
    assert.deepEqual(ndimage.genericFilter.kernelRadius({ footprint: [[1, 0, 0, 0]] }, 2), [0, 2]);
    assert.deepEqual(ndimage.genericFilter1d.kernelRadius({ axis: 0, origin: -1 }, 2, 4), [2, 0]);
    assert.deepEqual(ndimage.genericFilter1d.kernelRadius({}, 3, 3), [0, 0, 1]);
    assertInvalidOption(() => ndimage.genericFilter.kernelRadius({ size: 3, sigma: 1 } as never, 2), 'unknown option "sigma"');
    assert.equal(builtinNameOf(ndimage.genericFilter), "ndimage.genericFilter");
    assert.equal(builtinNameOf(ndimage.genericFilter1d), "ndimage.genericFilter1d");
    assert.ok(ndimage.isRegionKernel(ndimage.genericFilter));
  });

  it("computes only outputRegion, equal to the same box of the whole result", () => {
    const options = { footprint: [[1, 0, 1], [0, 1, 1]], mode: "wrap" as const, origin: [0, -1] };
    const whole = ndimage.genericFilter(image, (v) => v[0] - 2 * v[v.length - 1], options);
    const part = ndimage.genericFilter(image, (v) => v[0] - 2 * v[v.length - 1], { ...options, outputRegion: { start: [1, 2], stop: [4, 6] } });
    assert.deepEqual(part.toArray(), nd.ascontiguousarray(nd.slice(whole, { start: 1, stop: 4 }, { start: 2, stop: 6 })).toArray());
  });
});
