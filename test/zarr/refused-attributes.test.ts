// Attributes that JSON cannot hold as given (a bigint, undefined, a Map, a cycle…) are refused
// among a write's checks, before anything is deleted: an overwrite deletes the old array first
// and writes the new metadata afterwards, so a refusal there would come with the old array gone
// (or, for values JSON drops or changes silently, no refusal at all). The error names the path.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { runInNewContext } from "node:vm";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { beginGroupWrite, createArray, openArray, readGroupAttributes, readRegion, writeGroupAttributesHeld } from "../../src/zarr/index.js";
import { findNonJsonValue, parseMetadataJson } from "../../src/zarr/metadata-json.js";
import { makeTempDirectory } from "./python-anchor.js";

class Calibration {
  constructor(readonly micrometers = 0.5) {}
}

function arrayWithNote(): number[] {
  const list = [1, 2];
  Object.assign(list, { note: "dropped by JSON" });
  return list;
}

function circular(): Record<string, unknown> {
  const loop: Record<string, unknown> = { name: "loop" };
  loop.self = loop;
  return { nested: loop };
}

// [label, attributes, path named, what it is]
const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
  ["a bigint deep inside", { a: { b: [1, 2, 3n] } }, "attributes.a.b[2]", /a bigint \(3n\), which JSON cannot hold/],
  ["undefined", { kept: 1, u: undefined }, "attributes.u", /undefined, which JSON would silently drop/],
  ["a function", { f: () => 1 }, "attributes.f", /a function, which JSON would silently drop/],
  ["a symbol", { s: Symbol("s") }, "attributes.s", /a symbol, which JSON would silently drop/],
  ["a circular reference", circular(), "attributes.nested.self", /a circular reference/],
  ["a Map", { m: new Map([["a", 1]]) }, "attributes.m", /a Map, not a plain object/],
  ["a Set", { list: [new Set([1])] }, "attributes.list[0]", /a Set, not a plain object/],
  ["a Date", { when: new Date(0) }, "attributes.when", /a Date, not a plain object/],
  ["a typed array", { spacing: new Float64Array([1, 2]) }, "attributes.spacing", /a Float64Array, not a plain object/],
  ["a class instance", { calibration: new Calibration() }, "attributes.calibration", /a Calibration, not a plain object/],
  ["a sparse array's hole", { sparse: [1, , 3] }, "attributes.sparse[1]", /an empty slot of a sparse array/],
  ["an array's named property", { list: arrayWithNote() }, "attributes.list.note", /a named property of an array/],
  ["a key that is not an identifier", { "pixel size": 2n }, 'attributes["pixel size"]', /a bigint/],
];

describe("findNonJsonValue", () => {
  it("accepts plain objects, arrays, strings, numbers (non-finite too), booleans and null", () => {
    const plain = { a: 1, b: "s", c: [1, [2, { d: null }]], nan: NaN, inf: -Infinity, t: true, bare: Object.create(null) as object };
    assert.equal(findNonJsonValue(plain, "attributes"), undefined);
    // The same object twice (not a cycle) is fine: JSON writes it twice.
    const shared = { x: 1 };
    assert.equal(findNonJsonValue({ first: shared, second: [shared] }, "attributes"), undefined);
  });

  for (const [label, attributes, where, what] of refused) {
    it(`finds ${label} at ${where}`, () => {
      const found = findNonJsonValue(attributes, "attributes");
      assert.equal(found?.path, where);
      assert.match(found.what, what);
    });
  }
});

describe("attributes JSON cannot hold are refused before an overwrite deletes anything", { timeout: 120_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-refused-attributes");
  });
  after(() => temp.remove());

  const old = ta.random([4, 4], { chunks: [2, 2], seed: 11 });
  const oldAttributes = { keep: "old", scale: [0.5, 0.5] };

  async function values(store: string): Promise<number[]> {
    const info = await openArray(store);
    return [...(await readRegion(info, [0, 0], info.shape)).data].map(Number);
  }

  async function assertOldArrayThere(store: string, label: string): Promise<void> {
    assert.deepEqual(await values(store), [...(await old.compute()).data].map(Number), `${label}: the old array's values`);
    assert.deepEqual(JSON.parse(await readFile(path.join(store, ".zattrs"), "utf8")), oldAttributes, `${label}: the old array's attributes`);
  }

  const refusal = (where: string, what: RegExp) => (error: Error) => {
    assert.ok(error instanceof InvalidOptionError, `${error.name}: ${error.message}`);
    assert.ok(error.message.startsWith(`${where} is `), error.message);
    assert.match(error.message, what);
    assert.match(error.message, /nothing was written or deleted\. Convert it to a number, string, boolean, null, array or plain object/);
    return true;
  };

  for (const [label, attributes, where, what] of refused) {
    it(`toZarr with overwrite and ${label} in its attributes: refused naming ${where}, the old array still readable`, async () => {
      const store = path.join(temp.path, `${label.replace(/\W+/g, "-")}.zarr`);
      await old.toZarr(store, { attributes: oldAttributes });
      const outcome = await ta.ones([6, 6], { chunks: [3, 3] }).toZarr(store, { overwrite: true, attributes }).then(() => undefined, (error: Error) => error);
      // The old array first: what a late refusal (or a silent drop) costs is the old array.
      await assertOldArrayThere(store, label);
      assert.ok(outcome instanceof Error, "the overwrite was not refused");
      refusal(where, what)(outcome);
    });
  }

  it("a __proto__ key, a string like the writer's float marker and another realm's plain objects are written as given", async () => {
    const store = path.join(temp.path, "written-as-given.zarr");
    const attributes = {
      ...(JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as Record<string, unknown>),
      marker: "\u0000python-float:1.5",
      other: runInNewContext('({ b: [1, { c: 2 }] })') as unknown,
    };
    await ta.ones([2, 2], { chunks: [2, 2] }).toZarr(store, { attributes });
    const text = await readFile(path.join(store, ".zattrs"), "utf8");
    assert.deepEqual(JSON.parse(text, (key, value: unknown) => value), JSON.parse('{"__proto__": {"x": 1}, "a": 1, "marker": "\\u0000python-float:1.5", "other": {"b": [1, {"c": 2}]}}'));
    assert.match(text, /"__proto__": \{/);
  });

  it("createArray with overwrite: the same check, the old array kept", async () => {
    const store = path.join(temp.path, "create-array.zarr");
    await old.toZarr(store, { attributes: oldAttributes });
    const options = { shape: [6, 6], chunks: [3, 3], dtype: "float64", overwrite: true } as const;
    await assert.rejects(createArray(store, { ...options, attributes: { a: { b: [1, 2, 3n] } } }), refusal("attributes.a.b[2]", /a bigint/));
    await assert.rejects(createArray(store, { ...options, attributes: new Map() as never }), refusal("attributes", /a Map, not a plain object/));
    await assert.rejects(createArray(store, { ...options, zarrFormat: 3, attributes: { u: undefined } }), refusal("attributes.u", /undefined/));
    await assertOldArrayThere(store, "createArray");
  });

  it("JSON-able attributes are written, non-finite numbers in a v2 .zattrs bare as zarr-python writes them", async () => {
    const store = path.join(temp.path, "accepted.zarr");
    await old.toZarr(store, { attributes: oldAttributes });
    await ta.ones([6, 6], { chunks: [3, 3] }).toZarr(store, { overwrite: true, attributes: { n: NaN, i: Infinity, list: [1, "a", null, false], o: { p: {} } } });
    // metadata-json.test.ts compares these bytes with zarr-python's.
    assert.deepEqual(parseMetadataJson(await readFile(path.join(store, ".zattrs")), ".zattrs"), { n: NaN, i: Infinity, list: [1, "a", null, false], o: { p: {} } });
    assert.deepEqual(await values(store), new Array(36).fill(1));
  });

  it("toOmeZarr with overwrite and an omero block JSON cannot hold: refused naming the path, the old image still readable", async () => {
    const store = path.join(temp.path, "image.ome.zarr");
    const channels = (extra: Record<string, unknown>) => ({ channels: [{ color: "00FF00", window: { start: 0, end: 1, min: 0, max: 1 }, ...extra }] });
    const image = ta.random([1, 16, 16], { chunks: [1, 8, 8], seed: 12 });
    await ta.toOmeZarr(image, store, { axes: "cyx", levels: 2, omero: channels({ label: "old" }) });
    const before = await readGroupAttributes({ path: store });
    const bad = channels({ label: "new", exposure: 10n });
    await assert.rejects(
      ta.toOmeZarr(ta.ones([1, 16, 16], { chunks: [1, 8, 8] }), store, { axes: "cyx", levels: 2, omero: bad, overwrite: true }),
      refusal("omero.channels[0].exposure", /a bigint \(10n\)/),
    );
    assert.deepEqual(await readGroupAttributes({ path: store }), before);
    const level0 = await ta.fromOmeZarr(store, { level: 0 });
    assert.deepEqual([...(await level0.array.compute()).data], [...(await image.compute()).data]);
  });

  it("writeGroupAttributesHeld refuses them too, leaving the group's attributes as they were", async () => {
    const store = path.join(temp.path, "group.ome.zarr");
    await ta.toOmeZarr(ta.random([16, 16], { chunks: [8, 8], seed: 13 }), store, { levels: 1 });
    const before = await readGroupAttributes({ path: store });
    const lease = await beginGroupWrite({ path: store });
    try {
      await assert.rejects(writeGroupAttributesHeld({ path: store }, { ...before, extra: { when: new Date(0) } }), refusal("attributes.extra.when", /a Date/));
      await assert.rejects(writeGroupAttributesHeld({ path: store }, { ...before, u: undefined }), refusal("attributes.u", /undefined/));
    } finally {
      await lease.release();
    }
    assert.deepEqual(await readGroupAttributes({ path: store }), before);
  });
});
