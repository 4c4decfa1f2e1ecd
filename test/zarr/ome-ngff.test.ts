// OME-NGFF 0.4 metadata (pure): the axes forms a writer accepts, the multiscales JSON it
// writes (as the spec's example lays it out), and a file's transformations combined on reading.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { axesToWrite, checkOmero, multiscalesAttributes, readMultiscale } from "../../src/zarr/index.js";

describe("OME-NGFF 0.4 metadata", () => {
  it("accepts axes as ome-zarr-py does: letters, names, or { name, type, unit }", () => {
    assert.deepEqual(axesToWrite("tczyx", 5), [
      { name: "t", type: "time" }, { name: "c", type: "channel" }, { name: "z", type: "space" }, { name: "y", type: "space" }, { name: "x", type: "space" },
    ]);
    assert.deepEqual(axesToWrite(["y", "x"], 2), [{ name: "y", type: "space" }, { name: "x", type: "space" }]);
    assert.deepEqual(axesToWrite([{ name: "time", type: "time", unit: "millisecond" }, { name: "z", unit: "micrometer" }, { name: "row", type: "space" }, "x"], 4), [
      { name: "time", type: "time", unit: "millisecond" }, { name: "z", type: "space", unit: "micrometer" }, { name: "row", type: "space" }, { name: "x", type: "space" },
    ]);
    assert.throws(() => axesToWrite([{ name: "row" }, "x"], 2), /axis "row" needs a type/);
    assert.throws(() => axesToWrite("zyx", 3.5), /3 axes \(z, y, x\) for an array of 3.5 dimensions/);
    assert.throws(() => axesToWrite([{ name: "t", type: "time", unit: "seconds" }, "y", "x"], 3), /"seconds" of axis "t" is not a time unit/);
    assert.throws(() => axesToWrite([{ name: "z", type: "space", size: 4 }, "y", "x"], 3), /unknown keys size/);
    assert.throws(() => axesToWrite([{ name: "t0", type: "time" }, { name: "t1", type: "time" }, "y", "x"], 4), /at most one axis of type "time"/);
  });

  it("writes the multiscales list with a scale then a translation per dataset, and the strict schema's name, type and metadata", () => {
    const attributes = multiscalesAttributes({
      name: "example", axes: axesToWrite("zyx", 3), type: "mean", metadata: { method: "m" },
      datasets: [{ path: "0", scale: [1, 0.5, 0.5], translation: [0, 0, 0] }, { path: "1", scale: [2, 1, 1], translation: [0.5, 0.25, 0.25] }],
    }, { channels: [{ color: "FFFFFF", window: { start: 0, end: 1, min: 0, max: 1 } }] });
    assert.deepEqual(attributes, {
      multiscales: [{
        version: "0.4", name: "example", type: "mean", metadata: { method: "m" },
        axes: [{ name: "z", type: "space" }, { name: "y", type: "space" }, { name: "x", type: "space" }],
        datasets: [
          { path: "0", coordinateTransformations: [{ type: "scale", scale: [1, 0.5, 0.5] }, { type: "translation", translation: [0, 0, 0] }] },
          { path: "1", coordinateTransformations: [{ type: "scale", scale: [2, 1, 1] }, { type: "translation", translation: [0.5, 0.25, 0.25] }] },
        ],
      }],
      omero: { channels: [{ color: "FFFFFF", window: { start: 0, end: 1, min: 0, max: 1 } }] },
    });
    const read = readMultiscale(attributes, "example.zarr");
    assert.deepEqual(read.datasets[1], { path: "1", scale: [2, 1, 1], translation: [0.5, 0.25, 0.25] });
  });

  it("checks omero channels against the schema and the channel count", () => {
    const channel = { color: "00ff00", window: { start: 1, end: 2, min: 0, max: 3 }, label: "GFP", active: true };
    assert.doesNotThrow(() => checkOmero({ channels: [channel, channel] }, 2));
    assert.throws(() => checkOmero({ channels: [{ ...channel, window: { start: 1, end: 2 } }] }, 1), /must have numbers start, min, end and max/);
    assert.throws(() => checkOmero({ channels: [{ ...channel, active: "yes" }] }, 1), /active must be a boolean/);
    assert.throws(() => checkOmero({ rdefs: {} }, 1), /must be an object with "channels"/);
  });
});
