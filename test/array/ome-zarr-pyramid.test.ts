// The pyramid plan of toOmeZarr (pure): which axes each level halves, how many levels "auto"
// gives, each level's shape, chunks, pixel size and origin.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { planPyramid, type PyramidPlanOptions } from "../../src/array/ome-zarr-pyramid.js";
import { axesToWrite } from "../../src/zarr/index.js";

function plan(options: Partial<Omit<PyramidPlanOptions, "axes">> & { shape: number[]; axes: string | object[] }) {
  const axes = axesToWrite(options.axes, options.shape.length);
  return planPyramid({
    scale: options.shape.map(() => 1), translation: options.shape.map(() => 0), levels: "auto", downsample: "mean", storageChunks: options.shape.map(() => 64),
    ...options, axes,
  });
}

describe("planPyramid", () => {
  it("halves the plane and an isotropic z, until a level fits one chunk in its halved axes", () => {
    const levels = plan({ shape: [90, 1000, 700], axes: "zyx", storageChunks: [64, 256, 256] });
    assert.deepEqual(levels.map((level) => level.shape), [[90, 1000, 700], [45, 500, 350], [22, 250, 175]]);
    assert.deepEqual(levels.map((level) => level.chunks), [[64, 256, 256], [45, 256, 256], [22, 250, 175]]);
    assert.deepEqual(levels.map((level) => level.path), ["0", "1", "2"]);
  });

  it("keeps a coarse z until the plane's pixels are within √2 of it; never touches time or channel", () => {
    const levels = plan({ shape: [2, 3, 40, 512, 512], axes: "tczyx", scale: [1, 1, 3, 1, 1], levels: 5 });
    // z/xy ratios before each level: 3, 1.5 (both > √2: keep z), 0.75 and 0.75 (halve z).
    assert.deepEqual(levels.map((level) => level.factors), [[1, 1, 1, 1, 1], [1, 1, 1, 2, 2], [1, 1, 1, 2, 2], [1, 1, 2, 2, 2], [1, 1, 2, 2, 2]]);
    assert.deepEqual(levels.map((level) => level.scale), [[1, 1, 3, 1, 1], [1, 1, 3, 2, 2], [1, 1, 3, 4, 4], [1, 1, 6, 8, 8], [1, 1, 12, 16, 16]]);
    // A z finer than the plane is halved with it.
    assert.deepEqual(plan({ shape: [64, 64, 64], axes: "zyx", scale: [0.2, 1, 1], levels: 2 })[1].factors, [2, 2, 2]);
  });

  it("compares pixel sizes in meters when the axes carry units", () => {
    const axes = [{ name: "z", type: "space", unit: "millimeter" }, { name: "y", type: "space", unit: "micrometer" }, { name: "x", type: "space", unit: "micrometer" }];
    // 0.001 mm = 1 µm: isotropic, z halved; read as bare numbers it would look 1000× finer, and still halved, so try 0.004 mm = 4 µm too.
    assert.deepEqual(plan({ shape: [64, 64, 64], axes, scale: [0.001, 1, 1], levels: 2 })[1].factors, [2, 2, 2]);
    assert.deepEqual(plan({ shape: [64, 64, 64], axes, scale: [0.004, 1, 1], levels: 2 })[1].factors, [1, 2, 2]);
  });

  it("halves exactly the axes named in downsampleAxes", () => {
    assert.deepEqual(plan({ shape: [64, 64, 64], axes: "zyx", downsampleAxes: ["x"], levels: 3 }).map((level) => level.shape), [[64, 64, 64], [64, 64, 32], [64, 64, 16]]);
  });

  it("moves a reduced pixel's origin to its pair's centre and keeps a nearest one's", () => {
    const mean = plan({ shape: [64, 64], axes: "yx", scale: [2, 0.5], translation: [10, 20], levels: 3 });
    assert.deepEqual(mean.map((level) => level.translation), [[10, 20], [11, 20.25], [13, 20.75]]);
    const nearest = plan({ shape: [64, 64], axes: "yx", scale: [2, 0.5], translation: [10, 20], levels: 3, downsample: "nearest" });
    assert.deepEqual(nearest.map((level) => level.translation), [[10, 20], [10, 20], [10, 20]]);
  });

  it("drops a last odd pixel (⌊n / 2⌋), stops \"auto\" at an axis of 1 and refuses levels that do not fit", () => {
    assert.deepEqual(plan({ shape: [7, 9], axes: "yx", levels: 3 }).map((level) => level.shape), [[7, 9], [3, 4], [1, 2]]);
    assert.equal(plan({ shape: [1, 500], axes: "yx", storageChunks: [1, 100] }).length, 1);
    assert.throws(() => plan({ shape: [7, 9], axes: "yx", levels: 4 }), /levels: 4 would halve axis "y" of length 1 at level 3 to nothing; at most 3 levels fit an image of shape \[7, 9\]/);
  });
});
