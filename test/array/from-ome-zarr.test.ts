// fromOmeZarr (issue 12 item 4): OME-NGFF 0.4 images written by zarr-python 2.13 as
// ome-zarr-py lays them out (nested chunks, a multiscale-wide transformation) read level by
// level with their axes, pixel sizes and origins; metadata that breaks the spec refused by name.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { ZarrMetadataError, ZarrNotFoundError, ZarrUnsupportedError } from "../../src/zarr/index.js";
import { runPythonCode } from "../zarr/python-anchor.js";
import { assertSameArray } from "./python-eval.js";

const writeImage = `
import sys, numpy as np, zarr
root = zarr.open_group(sys.argv[1], mode="w")
x = np.arange(2 * 30 * 41, dtype="uint16").reshape(2, 30, 41)
def image(group, name):
    for i, a in enumerate([x, x[:, ::2, ::2], x[:, ::4, ::4]]):
        group.create_dataset(str(i), data=a, chunks=(1, 8, 8), dimension_separator="/")
    group.attrs["multiscales"] = [{
        "version": "0.4", "name": name, "type": "nearest",
        "axes": [{"name": "c", "type": "channel"}, {"name": "y", "type": "space", "unit": "micrometer"}, {"name": "x", "type": "space", "unit": "micrometer"}],
        "datasets": [
            {"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1.0, 0.5, 0.5]}]},
            {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [1.0, 1.0, 1.0]}, {"type": "translation", "translation": [0.0, 0.25, 0.25]}]},
            {"path": "2", "coordinateTransformations": [{"type": "scale", "scale": [1.0, 2.0, 2.0]}]},
        ],
        "coordinateTransformations": [{"type": "scale", "scale": [1.0, 2.0, 2.0]}, {"type": "translation", "translation": [0.0, 10.0, 20.0]}],
    }]
    group.attrs["omero"] = {"channels": [{"color": "FF0000", "window": {"start": 0, "end": 9, "min": 0, "max": 99}}] * 2}
image(root, "py")
image(root.create_group("nested/cells"), "cells")
`;

describe("fromOmeZarr", () => {
  let dir: string;
  let path: string;
  const x = nd.reshape(nd.arange(2 * 30 * 41, "uint16"), [2, 30, 41]);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-from-omezarr-"));
    path = join(dir, "python.ome.zarr");
    await runPythonCode(writeImage, [path]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads each level of a zarr-python image with its axes, pixel size and origin (the multiscale-wide transformation applied after the level's)", async () => {
    for (const [level, step] of [[0, 1], [1, 2], [2, 4]] as const) {
      const image = await ta.fromOmeZarr(path, { level });
      assertSameArray(await image.array.compute(), nd.ascontiguousarray(nd.slice(x, ":", { step }, { step })), `level ${level}`);
      assert.equal(image.levels, 3);
      assert.equal(image.path, String(level));
      assert.equal(image.type, "nearest");
      assert.deepEqual(image.axes, [{ name: "c", type: "channel" }, { name: "y", type: "space", unit: "micrometer" }, { name: "x", type: "space", unit: "micrometer" }]);
      assert.deepEqual(image.scale, [1, 0.5 * step * 2, 0.5 * step * 2]);
      assert.deepEqual(image.translation, level === 1 ? [0, 0.25 * 2 + 10, 0.25 * 2 + 20] : [0, 10, 20]);
    }
    const nested = await ta.fromOmeZarr(path, { component: "nested/cells", level: 1, chunks: [2, 15, 10] });
    assert.equal(nested.name, "cells");
    assert.deepEqual(nested.array.chunks, [[2], [15], [10, 10, 1]]);
    assert.deepEqual((nested.omero as { channels: unknown[] }).channels.length, 2);
  });

  it("refuses what is not an OME-NGFF 0.4 image, naming the file and the rule", async () => {
    const group = join(dir, "python.ome.zarr", "nested", "cells");
    const axes = [{ name: "c", type: "channel" }, { name: "y", type: "space" }, { name: "x", type: "space" }];
    const dataset = (path: string, transformations: unknown[] = [{ type: "scale", scale: [1, 1, 1] }]) => ({ path, coordinateTransformations: transformations });
    const cases: Array<[string, unknown, new (...args: never[]) => Error, RegExp]> = [
      ["version 0.3", { multiscales: [{ version: "0.3", axes: ["c", "y", "x"], datasets: [{ path: "0" }] }] }, ZarrUnsupportedError, /OME-NGFF version "0.3"; tessera reads version 0.4/],
      ["axes as names", { multiscales: [{ axes: ["c", "y", "x"], datasets: [dataset("0")] }] }, ZarrMetadataError, /axis 0 is the name "c", as OME-NGFF 0.3 wrote axes/],
      ["one space axis", { multiscales: [{ axes: [{ name: "c", type: "channel" }, { name: "t", type: "time" }, { name: "x", type: "space" }], datasets: [dataset("0")] }] }, ZarrMetadataError, /2 or 3 axes of type "space", got 1/],
      ["translation first", { multiscales: [{ axes, datasets: [dataset("0", [{ type: "translation", translation: [0, 0, 0] }, { type: "scale", scale: [1, 1, 1] }])] }] }, ZarrMetadataError, /exactly one "scale" first/],
      ["two scales", { multiscales: [{ axes, datasets: [dataset("0", [{ type: "scale", scale: [1, 1, 1] }, { type: "scale", scale: [1, 1, 1] }])] }] }, ZarrMetadataError, /coordinateTransformations\[1\] is "scale"/],
      ["short scale", { multiscales: [{ axes, datasets: [dataset("0", [{ type: "scale", scale: [1, 1] }])] }] }, ZarrMetadataError, /scale \[1,1\] must be 3 finite numbers/],
      ["scale in a file", { multiscales: [{ axes, datasets: [dataset("0", [{ type: "scale", path: "scales/0" }])] }] }, ZarrUnsupportedError, /stored as binary data at "scales\/0"/],
      ["no datasets", { multiscales: [{ axes, datasets: [] }] }, ZarrMetadataError, /"datasets" must be a non-empty list/],
      ["axes unlike the array", { multiscales: [{ axes: axes.slice(1), datasets: [dataset("0", [{ type: "scale", scale: [1, 1] }])] }] }, ZarrMetadataError, /2 axes \(y, x\) for an array of 3 dimensions/],
      ["no multiscales", { omero: {} }, ZarrMetadataError, /no "multiscales" attributes, so it is not an OME-NGFF image/],
    ];
    for (const [label, attributes, errorClass, message] of cases) {
      writeFileSync(join(group, ".zattrs"), JSON.stringify(attributes));
      await assert.rejects(ta.fromOmeZarr(path, { component: "nested/cells" }), (error: Error) => error instanceof errorClass && message.test(error.message), label);
    }
    await assert.rejects(ta.fromOmeZarr(path, { level: 3 }), (e: Error) => e instanceof InvalidOptionError && /level: 3 must be an integer from 0 to 2/.test(e.message));
    await assert.rejects(ta.fromOmeZarr(path, { name: "other" }), /no multiscale named "other"; it has "py"/);
    await assert.rejects(ta.fromOmeZarr(path, { component: "0" }), (e: Error) => e instanceof ZarrNotFoundError && /is an array, not an image group; open it with fromZarr/.test(e.message));
    await assert.rejects(ta.fromOmeZarr(join(dir, "absent.zarr")), ZarrNotFoundError);
    await assert.rejects(ta.fromOmeZarr(path, { levels: 1 } as never), /unknown option levels/);
    const v3 = join(dir, "v3.zarr");
    await ta.zeros([4, 4], { chunks: 2 }).toZarr(v3, { zarrFormat: 3, component: "0" });
    await assert.rejects(ta.fromOmeZarr(v3), (e: Error) => e instanceof ZarrUnsupportedError && /Zarr v3 group \(OME-NGFF 0.5 or later\)/.test(e.message));
  });
});
