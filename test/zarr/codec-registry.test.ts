// The codec registry's decode-only list must name exactly the registered codecs that cannot
// encode (a write into an array using one is refused up front by that list, chunk-pipeline.ts),
// and numcodecs' shuffle filter must shuffle by its own elementsize as numcodecs does.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeOnlyCodecs, lookupCodec, registeredCodecNames } from "../../src/zarr/codec-registry.js";
import { ShuffleFilterCodec } from "../../src/zarr/shuffle-filter.js";

/** A configuration each codec accepts for a float64 chunk of [4, 2]. */
const configurations: Record<string, Record<string, unknown>> = {
  transpose: { order: [1, 0] },
  bitround: { keepbits: 10 },
  "numcodecs.bitround": { keepbits: 10 },
  cast_value: { data_type: "float32" },
  scale_offset: { offset: 0, scale: 1 },
  json2: { encoding: "utf-8" },
  "numcodecs.json2": { encoding: "utf-8" },
};

/** Whether a codec encodes a small chunk of its kind (false when it throws). */
async function encodes(name: string): Promise<boolean> {
  const codecClass = await lookupCodec(name);
  const metadata = { dataType: "float64", shape: [4, 2], codecs: [], fillValue: 0 };
  const codec = codecClass!.fromConfig(configurations[name] ?? {}, metadata);
  const data = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const input = codec.kind === "array_to_array" || codec.kind === "array_to_bytes"
    ? { data, shape: [4, 2], stride: [2, 1] }
    : new Uint8Array(data.buffer);
  try {
    await codec.encode(input);
    return true;
  } catch {
    return false;
  }
}

describe("the codec registry", () => {
  it("lists as decode-only exactly the registered codecs whose encode fails", async () => {
    const failing: string[] = [];
    // Strings only (tessera holds no string arrays): their encode is not tried on numbers.
    for (const name of registeredCodecNames().filter((n) => !/vlen-utf8|json2/.test(n))) if (!(await encodes(name))) failing.push(name);
    assert.deepEqual(failing.sort(), [...decodeOnlyCodecs].filter((n) => !/vlen-utf8/.test(n)).sort());
  });

  it("runs numcodecs' shuffle filter with the filter's elementsize, not the array's itemsize", async () => {
    const codec = (await lookupCodec("numcodecs.shuffle"))!.fromConfig({ elementsize: 4 }, { dataType: "float64", shape: [2] });
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i);
    // Four 4-byte elements: byte j of element i goes to 4 j + i (numcodecs' _doShuffle).
    const shuffled = codec.encode(bytes) as Uint8Array;
    assert.deepEqual([...shuffled], [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]);
    assert.deepEqual([...(codec.decode(shuffled) as Uint8Array)], [...bytes]);
  });

  it("copies bytes as they are for an elementsize of 0 or 1, and refuses a buffer that is not whole elements", () => {
    const bytes = Uint8Array.from({ length: 6 }, (_, i) => i);
    assert.deepEqual([...ShuffleFilterCodec.fromConfig({ elementsize: 1 }).encode(bytes)], [...bytes]);
    assert.deepEqual([...ShuffleFilterCodec.fromConfig({ elementsize: 0 }).decode(bytes)], [...bytes]);
    assert.throws(() => ShuffleFilterCodec.fromConfig({ elementsize: 4 }).encode(bytes), /not a whole number of the shuffle filter's 4-byte elements/);
    assert.throws(() => ShuffleFilterCodec.fromConfig({ elementsize: -2 }), /elementsize -2/);
  });
});
