// Bad input to the interpolation functions is refused with an InvalidOptionError naming the
// option; a few semantics a user would check by hand (output shapes, footprints, cval).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { affinePlan, zoomPlan } from "../../src/ndimage/transform-plan.js";
import { prefilterDepth } from "../../src/ndimage/interpolation-footprint.js";
import { builtinNameOf } from "../../src/core/builtin.js";

const x = nd.arange(60, { dtype: "float32" });
const volume = nd.reshape(x, [3, 4, 5]);

function refuses(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: Error) => error.name === "InvalidOptionError" && pattern.test(error.message), String(pattern));
}

describe("interpolation options are checked", () => {
  it("refuses spline orders outside 0–5 (and below 2 for splineFilter), naming order", () => {
    for (const order of [-1, 6, 1.5, "3"]) {
      refuses(() => ndimage.zoom(volume, { zoom: 2, order: order as number }), /^order .* use an integer from 0 to 5/);
      refuses(() => ndimage.shift(volume, { shift: 1, order: order as number }), /^order/);
      refuses(() => ndimage.affineTransform(volume, { matrix: [1, 1, 1], order: order as number }), /^order/);
      refuses(() => ndimage.mapCoordinates(volume, nd.zeros([3, 2]), { order: order as number }), /^order/);
      refuses(() => ndimage.splineFilter1d(volume, { order: order as number }), /^order/);
    }
    refuses(() => ndimage.splineFilter(volume, { order: 1 }), /order 1 .* from 2 to 5/);
  });

  it("refuses unknown modes, listing the eight", () => {
    refuses(() => ndimage.zoom(volume, { zoom: 2, mode: "sideways" as "wrap" }), /mode "sideways" .* constant, .*grid-wrap/);
    refuses(() => ndimage.splineFilter(volume, { mode: "edge" as "wrap" }), /mode "edge"/);
  });

  it("refuses zoom factors ≤ 0, non-finite or of the wrong length", () => {
    refuses(() => ndimage.zoom(volume, { zoom: 0 }), /zoom 0 must be > 0/);
    refuses(() => ndimage.zoom(volume, { zoom: [1, -2, 1] }), /zoom \[1,-2,1\] must be > 0/);
    refuses(() => ndimage.zoom(volume, { zoom: [2, 2] }), /zoom \[2,2\] has 2 entries, expected 3/);
    refuses(() => ndimage.zoom(volume, { zoom: Infinity }), /zoom .* finite/);
    refuses(() => ndimage.zoom(volume, { zoom: 2, gridMode: "yes" as unknown as boolean }), /gridMode "yes"/);
  });

  it("refuses shifts that are not finite numbers per axis", () => {
    refuses(() => ndimage.shift(volume, { shift: [1, Number.NaN, 0] }), /shift .* finite/);
    refuses(() => ndimage.shift(volume, { shift: [1, 2] }), /shift \[1,2\] has 2 entries/);
  });

  it("refuses affine matrices of the wrong shape, naming the shapes that fit", () => {
    refuses(() => ndimage.affineTransform(volume, { matrix: [1, 1] }), /matrix \[2\] has the wrong length: for a 3-D input .*\[3\], \[3, 3\], \[3, 4\] or \[4, 4\]/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0], [0, 1]] }), /matrix \[2, 2\] has the wrong number of rows/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0], [0, 1, 0], [0, 0]] }), /matrix row .* has 2 entries, expected 3/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]] }), /bottom row is \[0, 0, 0, 2\]: it must be \[0, 0, 0, 1\]/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3]], offset: 1 }), /offset cannot be given with a homogeneous matrix/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [1, 0, 1] }), /zero on its diagonal/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], offset: [1, 2] }), /offset \[1,2\] has 2 entries, expected 3/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0], [0, Infinity, 0], [0, 0, 1]] }), /matrix row .* finite/);
  });

  it("refuses output shapes that do not fit, naming outputShape", () => {
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], outputShape: [2, 2] }), /3 columns but the output has 2 axes \(outputShape\)/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [1, 1, 1], outputShape: [2, 2] }), /outputShape has 2 axes; a diagonal matrix needs 3/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [1, 1, 1], outputShape: [2, -1, 2] }), /outputShape \[2,-1,2\] must be a non-empty list of non-negative integers/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [1, 1, 1], outputShape: [] }), /outputShape \[\]/);
    // scipy refuses these too ("affine matrix has wrong number of columns"); tessera read them as 3-D maps of a 4-D output.
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3]], outputShape: [2, 2, 2, 2] }), /homogeneous .*outputShape has 4/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3], [0, 0, 0, 1]], outputShape: [2, 2] }), /homogeneous .*outputShape has 2/);
    refuses(() => ndimage.zoom(volume, { zoom: 2, outputRegion: { start: [0, 0, 0], stop: [7, 8, 11] } }), /outputRegion/);
  });

  it("refuses coordinates that do not fit the input, or are infinite", () => {
    refuses(() => ndimage.mapCoordinates(volume, nd.zeros([2, 5])), /coordinates of shape \[2, 5\] do not fit a 3-D input/);
    refuses(() => ndimage.mapCoordinates(volume, nd.zeros([3])), /coordinates of shape \[3\]/);
    refuses(() => ndimage.mapCoordinates(volume, nd.full([3, 1], Infinity)), /infinite/);
    refuses(() => ndimage.mapCoordinates(volume, nd.zeros([3, 1]), { outputRegion: { start: [0], stop: [1] } } as never), /takes no outputRegion/);
  });

  it("refuses 0-d inputs, unsupported dtypes and non-boolean prefilter", () => {
    refuses(() => ndimage.zoom(nd.zeros([]), { zoom: 2 }), /at least one axis/);
    refuses(() => ndimage.zoom(volume, { zoom: 2, output: "float16" as never }), /output dtype "float16" is not a dtype/);
    refuses(() => ndimage.zoom(volume, { zoom: 2, prefilter: 1 as unknown as boolean }), /prefilter 1 must be true or false/);
    refuses(() => ndimage.zoom(volume, { zoom: 2, cval: "0" as unknown as number }), /cval "0"/);
  });

  it("refuses unknown option keys, naming the key and the accepted ones (a misspelt prefilter was ignored)", () => {
    const typo = { prefliter: false } as Record<string, unknown>;
    refuses(() => ndimage.mapCoordinates(volume, nd.zeros([3, 2]), { order: 3, ...typo }),
      /mapCoordinates: unknown option "prefliter" \(did you mean prefilter\?\); mapCoordinates takes order, mode, cval, prefilter, output, outputRegion, inputWindow/);
    refuses(() => ndimage.zoom(volume, { zoom: 2, ...typo }), /zoom: unknown option "prefliter"/);
    refuses(() => ndimage.shift(volume, { shift: 1, grid_mode: true } as never), /shift: unknown option "grid_mode"; shift takes shift, order/);
    refuses(() => ndimage.affineTransform(volume, { matrix: [1, 1, 1], output_shape: [2, 2, 2] } as never), /affineTransform: unknown option "output_shape"/);
    refuses(() => ndimage.affineTransform(volume, [1, 1, 1] as never), /affineTransform needs an options object/);
    refuses(() => ndimage.splineFilter(volume, { axis: 0 } as never), /splineFilter: unknown option "axis"; splineFilter takes order, output, mode/);
    refuses(() => ndimage.splineFilter1d(volume, { prefilter: false } as never), /splineFilter1d: unknown option "prefilter"/);
  });
});

describe("interpolation semantics", () => {
  it("every function travels to workers as a builtin named ndimage.<name>", () => {
    const functions = { zoom: ndimage.zoom, shift: ndimage.shift, affineTransform: ndimage.affineTransform, mapCoordinates: ndimage.mapCoordinates, splineFilter: ndimage.splineFilter, splineFilter1d: ndimage.splineFilter1d };
    for (const [name, fn] of Object.entries(functions)) assert.equal(builtinNameOf(fn), `ndimage.${name}`);
  });

  it("zoom's output shape is round(n · zoom), ties to even as Python's round", () => {
    assert.deepEqual([...ndimage.zoom(nd.zeros([5, 7, 2]), { zoom: [0.5, 1.5, 1.25] }).shape], [2, 10, 2]);
    assert.deepEqual(zoomPlan({ zoom: [0.5, 1.5, 1.25] }, [5, 7, 2]).outputShape, [2, 10, 2]);
  });

  it("constant mode fills with cval beyond the edges; grid-constant interpolates towards it", () => {
    const line = nd.array([10, 20, 30, 40], { dtype: "float64" });
    assert.deepEqual(ndimage.shift(line, { shift: 1.5, order: 1, cval: -1 }).toArray(), [-1, -1, 15, 25]);
    assert.deepEqual(ndimage.shift(line, { shift: 1.5, order: 1, cval: -1, mode: "grid-constant" }).toArray(), [-1, 4.5, 15, 25]);
  });

  it("integer outputs round half away from zero and clip", () => {
    const values = nd.array([-2.5, -0.5, 0.5, 2.5, 300, -300], { dtype: "float64" });
    const at = nd.array([[0, 1, 2, 3, 4, 5]], { dtype: "float64" });
    assert.deepEqual(ndimage.mapCoordinates(values, at, { order: 0, output: "int16" }).toArray(), [-3, -1, 1, 3, 300, -300]);
    assert.deepEqual(ndimage.mapCoordinates(values, at, { order: 0, output: "uint8" }).toArray(), [0, 0, 1, 3, 255, 0]);
  });

  it("the footprint of an interior box is the box's reach, not the whole input", () => {
    const zoomed = zoomPlan({ zoom: 2, order: 1 }, [40, 40, 40]).footprint({ start: [20, 20, 20], stop: [22, 22, 22] });
    assert.deepEqual(zoomed, { start: [9, 9, 9], stop: [12, 12, 12], periodic: false });
    const rotated = affinePlan({ matrix: [[0, 1, 0], [-1, 0, 0], [0, 0, 1]], offset: [0, 39, 0], order: 3 }, [40, 40, 40])
      .footprint({ start: [10, 10, 10], stop: [12, 12, 12] });
    assert.deepEqual(rotated, { start: [9, 27, 9], stop: [14, 32, 14], periodic: false });
    // grid-wrap near an edge: the cells across it, not the whole axis.
    const wrapped = zoomPlan({ zoom: 1, order: 1, mode: "grid-wrap" }, [40, 40, 40]).footprint({ start: [0, 10, 38], stop: [2, 12, 40] });
    assert.deepEqual(wrapped, { start: [0, 10, 38], stop: [3, 13, 41], periodic: true });
    const shifted = affinePlan({ matrix: [1, 1, 1], offset: [-3, 0, 0], order: 1, mode: "grid-wrap" }, [40, 40, 40]).footprint({ start: [0, 0, 0], stop: [2, 2, 2] });
    assert.deepEqual(shifted, { start: [-3, 0, 0], stop: [0, 3, 3], periodic: true });
  });

  it("the prefilter depth is dask-image's: the smallest n with |pole|ⁿ < 1e-8", () => {
    assert.deepEqual([2, 3, 4, 5].map((order) => prefilterDepth(order)), [11, 14, 19, 22]);
    assert.equal(prefilterDepth(1), 0);
  });
});

// Found by the ndimage fuzzer (ndimage-fuzz.test.ts, seed 1503576): grid-constant with a
// prefilter pads the input with cval in the input's dtype (spline-source.ts), which NumPy cannot
// do with NaN or ±inf in a signed integer array (NumPy 1.24; unsigned ones take C's cast): scipy
// raises, and so does tessera (it used to compute).
describe("a non-finite cval in grid-constant, against scipy", () => {
  it("is refused for integer inputs where the prefilter pads, computed elsewhere", async () => {
    const { differences, report } = await import("./differential-harness.js");
    const inputs = { i: nd.astype(nd.arange(7), "int16"), u: nd.astype(nd.arange(7), "uint8"), f: nd.astype(nd.arange(7), "float32"), b: nd.astype(nd.arange(7), "bool") };
    const cases = [];
    for (const [name, cval] of [["float('nan')", NaN], ["float('inf')", Infinity], ["float('-inf')", -Infinity], ["300.0", 300]] as const) {
      for (const x of ["i", "u", "f", "b"] as const) {
        for (const [order, prefilter] of [[3, true], [2, true], [1, true], [3, false]] as const) {
          const options = { order, mode: "grid-constant" as const, cval, prefilter };
          const kw = `order=${order}, mode="grid-constant", cval=${name}, prefilter=${prefilter ? "True" : "False"}`;
          cases.push(
            { label: `shift ${x} ${kw}`, python: `ndi.shift(${x}, 1.5, ${kw})`, run: () => ndimage.shift(inputs[x], { shift: 1.5, ...options }), errorNames: /cval/ },
            { label: `zoom ${x} ${kw}`, python: `ndi.zoom(${x}, 1.4, ${kw})`, run: () => ndimage.zoom(inputs[x], { zoom: 1.4, ...options }), errorNames: /cval/ },
            { label: `map_coordinates ${x} ${kw}`, python: `ndi.map_coordinates(${x}, [[0.5, 6.5, -1]], ${kw})`, run: () => ndimage.mapCoordinates(inputs[x], nd.fromTypedArray(Float64Array.of(0.5, 6.5, -1), [1, 3]), options), errorNames: /cval/ },
          );
        }
      }
    }
    report(await differences(cases, inputs), "non-finite cval in grid-constant", 0);
  });
});
