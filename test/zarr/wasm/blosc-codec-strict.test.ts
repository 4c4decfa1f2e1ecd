// The WebAssembly codec refuses what the JavaScript decoder refuses, with the same error, and
// reads and writes frames numcodecs' c-blosc reads and writes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeBloscFrame, encodeBloscFrame } from "../../../src/zarr/blosc-frame.js";
import { bytesOf, makeTempDirectory, runPythonCode } from "../python-anchor.js";
import { decodeBoth, lz4Frame, sample } from "./codec-paths.js";

const literals = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const int32 = (value: number) => Array.from(new Uint8Array(Int32Array.of(value).buffer));

/** Hand-made LZ4 streams, each wrong in one way, with the size the frame promises. */
const corruptStreams: { name: string; stream: number[]; nbytes: number; message: RegExp }[] = [
  { name: "match offset 0", stream: [0x14, ...literals("A"), 0, 0, 0x00], nbytes: 20, message: /match offset 0 points before the output/ },
  { name: "match offset before the start", stream: [0x24, ...literals("AB"), 3, 0, 0x00], nbytes: 20, message: /match offset 3 points before the output/ },
  { name: "literals past the end of the input", stream: [0x50, ...literals("AB")], nbytes: 20, message: /literals run past the end of the input/ },
  { name: "a literal length past the end of the input", stream: [0xf0, 255, 255], nbytes: 2000, message: /literal length runs past the end of the input/ },
  { name: "literals past the expected size", stream: [0x80, ...literals("ABCDEFGH")], nbytes: 4, message: /literals run past the expected size/ },
  { name: "a match past the expected size (output overrun)", stream: [0x1f, ...literals("A"), 1, 0, 40, 0x00], nbytes: 30, message: /match runs past the expected size/ },
  { name: "a match offset past the end of the input", stream: [0x14, ...literals("A"), 1], nbytes: 20, message: /match offset runs past the end of the input/ },
  { name: "a match length past the end of the input", stream: [0x1f, ...literals("A"), 1, 0, 255], nbytes: 300, message: /match length runs past the end of the input/ },
  { name: "a stream shorter than its block (exact size demanded)", stream: [0x14, ...literals("A"), 1, 0, 0x10, ...literals("B")], nbytes: 20, message: /lz4 stream decoded to 10 bytes, expected 20/ },
  { name: "a literal length saturated by a run of 255s", stream: [0xf0, ...new Array<number>(20_000).fill(255), 0], nbytes: 100, message: /literals run past the end of the input/ },
];

describe("corrupt LZ4 frames", () => {
  for (const { name, stream, nbytes, message } of corruptStreams) {
    it(`refuses ${name} with the JavaScript decoder's error`, async () => {
      const frame = lz4Frame(Uint8Array.from(stream), nbytes);
      const { wasm, js } = await decodeBoth(frame, nbytes);
      assert.match(js.error ?? "decoded", message);
      assert.equal(wasm.error, js.error);
    });
  }

  it("refuses a match reaching back into the previous stream or block, however much output is behind it", async () => {
    // typesize 2, blocks of 256 bytes: each block is two LZ4 streams of 128 bytes (split, not shuffled)
    const literalStream = (fill: number) => [0xf0, 128 - 15, ...new Array<number>(128).fill(fill)];
    const matchStream = (offset: number) => [0x4f, ...literals("ABCD"), offset, 0, 124 - 19]; // 4 literals, a 124-byte match
    const frameOf = (streams: number[][]) => {
      const blocks = [streams.slice(0, 2), streams.slice(2, 4)].map((pair) => pair.flatMap((stream) => [...int32(stream.length), ...stream]));
      const header = [2, 1, 1 << 5, 2, ...int32(512), ...int32(256), ...int32(0)];
      const bytes = [...header, ...int32(24), ...int32(24 + blocks[0].length), ...blocks[0], ...blocks[1]];
      bytes.splice(12, 4, ...int32(bytes.length));
      return Uint8Array.from(bytes);
    };
    const good = await decodeBoth(frameOf([literalStream(1), matchStream(4), literalStream(2), matchStream(4)]), 512);
    assert.equal(good.wasm.error, undefined);
    assert.deepEqual(good.wasm.bytes, good.js.bytes);
    for (const streams of [
      [literalStream(1), matchStream(10), literalStream(2), literalStream(3)], // into stream 0 of the block
      [literalStream(1), literalStream(2), matchStream(10), literalStream(3)], // into the block before
    ]) {
      const { wasm, js } = await decodeBoth(frameOf(streams), 512);
      assert.match(js.error ?? "decoded", /match offset 10 points before the output/);
      assert.equal(wasm.error, js.error);
    }
  });

  it("refuses a truncated frame, a truncated stream and block offsets outside the chunk with the same errors", async () => {
    const data = sample("uint16-noise", 200_000, 3);
    const frame = (await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 })).slice();
    const view = new DataView(frame.buffer);
    const firstStream = view.getInt32(16, true);
    const broken: Uint8Array[] = [frame.subarray(0, frame.length - 100)];
    for (const [at, value] of [[16, 3], [16, frame.length + 5], [20, -1], [firstStream, view.getInt32(firstStream, true) - 3], [firstStream, frame.length]]) {
      const copy = frame.slice();
      new DataView(copy.buffer).setInt32(at, value, true);
      broken.push(copy);
    }
    // a stream cut short, the frame still adding up: its length field and the header's size lowered
    const cut = new Uint8Array(frame.length - 7);
    cut.set(frame.subarray(0, firstStream + 4 + 100));
    cut.set(frame.subarray(firstStream + 4 + 107), firstStream + 4 + 100);
    const cutView = new DataView(cut.buffer);
    cutView.setInt32(firstStream, view.getInt32(firstStream, true) - 7, true);
    cutView.setInt32(12, cut.length, true);
    for (let block = 1; 16 + 4 * block < view.getInt32(16, true); block++) {
      cutView.setInt32(16 + 4 * block, view.getInt32(16 + 4 * block, true) - 7, true);
    }
    broken.push(cut);
    for (const [i, bad] of broken.entries()) {
      const { wasm, js } = await decodeBoth(bad, data.length);
      assert.ok(js.error !== undefined, `case ${i} decoded`);
      assert.equal(wasm.error, js.error, `case ${i}`);
    }
  });

  it("agrees with the JavaScript decoder on every one of many randomly damaged frames (same bytes or same error)", async () => {
    const data = sample("ramp", 40_000, 4); // compressible: damage lands in tokens, offsets and lengths, not raw streams
    const frame = (await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 8_192 })).slice();
    let state = 12345;
    const random = (below: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % below;
    };
    const dataStart = new DataView(frame.buffer).getInt32(16, true);
    let refused = 0;
    for (let trial = 0; trial < 400; trial++) {
      const bad = frame.slice();
      for (let k = 0, flips = 1 + random(8); k < flips; k++) bad[dataStart + random(frame.length - dataStart)] = random(256);
      const { wasm, js } = await decodeBoth(bad, data.length);
      assert.equal(wasm.error, js.error, `trial ${trial}`);
      if (js.error === undefined) assert.deepEqual(wasm.bytes, js.bytes, `trial ${trial}`);
      else refused++;
    }
    console.log(`${refused} of 400 damaged frames refused, the others decoded to the same bytes`);
    assert.ok(refused > 50, `only ${refused} of 400 damaged frames refused`);
  });

  it("decodes a good frame right after refusing a bad one (nothing of the bad one stays)", async () => {
    const data = sample("ramp", 100_000, 5);
    const frame = await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 4, blocksize: 0 });
    const bad = frame.slice();
    bad[bad.length - 30] ^= 0xff;
    await decodeBloscFrame(bad, data.length).then(() => undefined, () => undefined);
    assert.deepEqual(await decodeBloscFrame(frame.slice(), data.length), data);
  });
});

describe("interop with numcodecs' Blosc (c-blosc 1.21)", () => {
  it("decodes numcodecs' lz4 + shuffle chunks of 2- and 4-byte elements, and numcodecs decodes ours", async () => {
    const script = `
import sys, base64, json
import numpy as np
from numcodecs import blosc
out = {}
for name, dtype in (("u2", "<u2"), ("f4", "<f4")):
    rng = np.random.default_rng(3)
    ramp = (np.arange(600_001) // 700 % 3000).astype(np.float64)
    values = (ramp + rng.integers(0, 16, ramp.size)).astype(dtype)
    out[name] = {"data": base64.b64encode(values.tobytes()).decode(),
                 "frame": base64.b64encode(blosc.compress(values, b"lz4", 5, blosc.SHUFFLE, 0)).decode()}
print(json.dumps(out))`;
    const native = JSON.parse(await runPythonCode(script)) as Record<string, { data: string; frame: string }>;
    const ours: Record<string, string> = {};
    for (const [name, { data, frame }] of Object.entries(native)) {
      const expected = new Uint8Array(Buffer.from(data, "base64"));
      const { wasm, js } = await decodeBoth(new Uint8Array(Buffer.from(frame, "base64")), expected.length);
      assert.ok(wasm.bytes !== undefined && bytesOf(wasm.bytes).equals(bytesOf(expected)), `${name}: ${wasm.error ?? "other bytes"}`);
      assert.deepEqual(js.bytes, wasm.bytes);
      const typesize = name === "u2" ? 2 : 4;
      ours[name] = Buffer.from(await encodeBloscFrame(expected, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize, blocksize: 0 })).toString("base64");
    }
    const check = `
import sys, base64, json
from numcodecs import blosc
frames = json.load(open(sys.argv[1]))
print(json.dumps({name: base64.b64encode(blosc.decompress(base64.b64decode(frame))).decode() for name, frame in frames.items()}))`;
    const temp = await makeTempDirectory("wasm-codec");
    let decoded: Record<string, string>;
    try {
      const framesFile = path.join(temp.path, "frames.json");
      await writeFile(framesFile, JSON.stringify(ours));
      decoded = JSON.parse(await runPythonCode(check, [framesFile])) as Record<string, string>;
    } finally {
      await temp.remove();
    }
    for (const name of Object.keys(native)) assert.equal(decoded[name], native[name].data, `numcodecs decoded our ${name} frame to other bytes`);
  });
});
