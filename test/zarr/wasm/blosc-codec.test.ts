// The WebAssembly Blosc codec (src/zarr/wasm/): the committed module is its WAT, its LZ4 blocks
// are lz4-encode.ts's byte for byte, and every frame decodes and encodes as the JavaScript paths do, which still run where
// WebAssembly SIMD is missing.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BloscShuffle, decodeBloscFrame, encodeBloscFrame, frameScratchBytes, readBloscHeader, releaseFrameScratch } from "../../../src/zarr/blosc-frame.js";
import type { BloscCompressorName } from "../../../src/zarr/blosc-streams.js";
import { encodeLz4BlockInto, lz4Bound } from "../../../src/zarr/lz4-encode.js";
import { byteShuffle, byteUnshuffle } from "../../../src/zarr/shuffle.js";
import { bloscCodecWasmBase64 } from "../../../src/zarr/wasm/blosc-codec-binary.js";
import {
  bloscWasmCodec, bloscWasmCodecBytes, isBloscWasmAvailable, keptCodecBytes, maxCodecBlockBytes, setBloscWasmEnabled,
} from "../../../src/zarr/wasm/blosc-codec.js";
import { bloscWatSourcePath, compileBloscWat } from "../../../src/zarr/wasm/generate.js";
import { decodeBoth, encodeBoth, lz4Frame, sample } from "./codec-paths.js";

const kinds = ["random", "ramp", "constant", "uint16-noise"] as const;

describe("the Blosc WebAssembly module", () => {
  it("committed bytes are what blosc-codec.wat compiles to (regenerate with dist/src/zarr/wasm/generate.js)", async () => {
    const bytes = await compileBloscWat(readFileSync(bloscWatSourcePath(), "utf8"));
    assert.equal(Buffer.from(bytes).toString("base64"), bloscCodecWasmBase64);
  });

  it("runs here (Node has WebAssembly SIMD), and setBloscWasmEnabled(false) forces the JavaScript paths", () => {
    assert.equal(isBloscWasmAvailable(), true);
    assert.notEqual(bloscWasmCodec(), null);
    const previous = setBloscWasmEnabled(false);
    try {
      assert.equal(bloscWasmCodec(), null);
    } finally {
      setBloscWasmEnabled(previous);
    }
  });

  for (const typesize of [1, 2, 3, 4, 5, 8, 16]) {
    it(`byte shuffle and unshuffle with typesize ${typesize} equal shuffle.ts at every length near the 16-element steps`, () => {
      const codec = bloscWasmCodec()!;
      for (const length of [0, 1, typesize * 15 + 1, typesize * 16, typesize * 16 + 3, typesize * 33 - 1, typesize * 1000 + 7, 65_537]) {
        const data = sample("random", length, length + typesize);
        const expected = new Uint8Array(length);
        byteShuffle(data, expected, typesize);
        assert.deepEqual(codec.filterBlock(data, typesize), expected, `shuffle ${length} bytes`);
        const back = new Uint8Array(length);
        codec.unshuffle(expected, back, typesize);
        const reference = new Uint8Array(length);
        byteUnshuffle(expected, reference, typesize);
        assert.deepEqual(back, reference, `unshuffle ${length} bytes`);
        assert.deepEqual(back, data);
      }
    });
  }
});

describe("LZ4 block encoding in WebAssembly", () => {
  /** Inputs: every kind, short lengths around the 13-byte minimum, matches near the 64 KiB offset limit, long runs. */
  function inputs(): Uint8Array[] {
    const list: Uint8Array[] = [];
    for (const kind of kinds) for (const length of [0, 1, 12, 13, 14, 17, 31, 40, 1000, 4099, 70_001]) list.push(sample(kind, length, length));
    const far = new Uint8Array(200_000);
    far.set(sample("random", 30_000, 1), 0);
    far.set(sample("random", 30_000, 1), 65_530); // a repeat just past the offset limit
    far.set(sample("random", 30_000, 1), 130_000); // and one inside it
    list.push(far);
    // A sequence repeated exactly 65535 and 65536 bytes later, zeros between (the hash table keeps its first place)
    for (const distance of [65_535, 65_536]) {
      const edge = new Uint8Array(distance + 100);
      edge.set([1, 2, 3, 4, 5, 6, 7, 8, 9], 0);
      edge.set([1, 2, 3, 4, 5, 6, 7, 8, 9], distance);
      list.push(edge);
    }
    const mixed = sample("uint16-noise", 300_000, 2);
    mixed.fill(9, 100_000, 160_000); // a run far longer than 255 × 15
    list.push(mixed);
    return list;
  }

  it("writes encodeLz4BlockInto's bytes at every acceleration c-blosc uses, or reports a stream that would not shrink", () => {
    const codec = bloscWasmCodec()!;
    let compared = 0;
    for (const input of inputs()) {
      for (const acceleration of [1, 2, 5, 9]) {
        const expected = new Uint8Array(lz4Bound(input.length));
        const expectedLength = encodeLz4BlockInto(input, expected, acceleration);
        codec.filterBlock(input, 1);
        const target = new Uint8Array(lz4Bound(input.length) + 10).fill(0xaa);
        const length = codec.compressLz4Into(0, input.length, acceleration, target, 10);
        const label = `${input.length} bytes at acceleration ${acceleration}`;
        if (expectedLength >= input.length) {
          assert.equal(length, undefined, label);
          assert.ok(target.every((byte) => byte === 0xaa), `${label}: wrote a stream that does not shrink`);
        } else {
          assert.equal(length, expectedLength, label);
          assert.deepEqual(target.subarray(10, 10 + expectedLength), expected.subarray(0, expectedLength), label);
          compared++;
        }
      }
    }
    assert.ok(compared > 60, `only ${compared} compressible cases`);
    for (const acceleration of [Number.NaN, 0, Number.POSITIVE_INFINITY]) {
      assert.throws(() => codec.compressLz4Into(0, 100, acceleration, new Uint8Array(200), 0), RangeError);
    }
  });

  it("encodes a stream from the middle of a shuffled block as the TypeScript encoder encodes that stream", () => {
    const codec = bloscWasmCodec()!;
    const block = sample("uint16-noise", 262_144, 3);
    const shuffled = new Uint8Array(block.length);
    byteShuffle(block, shuffled, 2);
    assert.deepEqual(codec.filterBlock(block, 2), shuffled);
    const stream = shuffled.subarray(131_072);
    const expected = new Uint8Array(lz4Bound(stream.length));
    const expectedLength = encodeLz4BlockInto(stream, expected, 5);
    const target = new Uint8Array(lz4Bound(stream.length));
    assert.equal(codec.compressLz4Into(131_072, stream.length, 5, target, 0), expectedLength);
    assert.deepEqual(target.subarray(0, expectedLength), expected.subarray(0, expectedLength));
  });
});

describe("Blosc frames through WebAssembly and JavaScript", () => {
  const shuffles: BloscShuffle[] = ["shuffle", "noshuffle", "bitshuffle"];
  for (const kind of kinds) {
    for (const typesize of [1, 2, 3, 4, 8, 16]) {
      it(`${kind} data, typesize ${typesize}: equal frames and equal decodes, with leftover blocks, odd lengths and raw frames`, async () => {
        // 300_007: several blocks and a leftover one (and odd); 5_000: one block; 100: a raw frame (below 128 bytes).
        for (const bytes of [300_007, 5_000, 100]) {
          for (const shuffle of shuffles) {
            for (const blocksize of [0, 16_384]) {
              const data = sample(kind, bytes, bytes + typesize);
              const options = { cname: "lz4" as const, clevel: 5, shuffle, typesize, blocksize };
              const label = `${bytes} bytes, ${shuffle}, blocksize ${blocksize}`;
              const encoded = await encodeBoth(data, options);
              assert.ok(encoded.wasm.bytes && encoded.js.bytes, `${label}: ${encoded.wasm.error ?? encoded.js.error}`);
              assert.deepEqual(encoded.wasm.bytes, encoded.js.bytes, `${label}: frames differ`);
              const decoded = await decodeBoth(encoded.js.bytes, bytes);
              assert.deepEqual(decoded.wasm.bytes, data, `${label}: WebAssembly decoded other bytes`);
              assert.deepEqual(decoded.js.bytes, data, `${label}: JavaScript decoded other bytes`);
            }
          }
        }
      });
    }
  }

  it("decodes frames whose blocks are not split (typesize above 16, short blocks) and whose streams are stored raw", async () => {
    const cases = [
      { data: sample("uint16-noise", 70_000, 1), typesize: 32, blocksize: 0 }, // typesize > 16: one stream per block
      { data: sample("ramp", 70_000, 2), typesize: 8, blocksize: 512 }, // 64 elements per block: not split
      { data: sample("random", 200_000, 3), typesize: 2, blocksize: 0 }, // incompressible: raw streams
    ];
    for (const { data, typesize, blocksize } of cases) {
      const frame = await encodeBloscFrame(data, { cname: "lz4", clevel: 9, shuffle: "shuffle", typesize, blocksize });
      const decoded = await decodeBoth(frame.slice(), data.length);
      assert.deepEqual(decoded.wasm.bytes, data, `typesize ${typesize}, blocksize ${blocksize}`);
      assert.deepEqual(decoded.js.bytes, data);
    }
    // A random block whose LZ4 streams do not shrink: stored raw inside a compressed frame.
    const mixed = new Uint8Array(300_000);
    mixed.set(sample("random", 150_000, 9));
    const frame = await encodeBloscFrame(mixed, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 });
    assert.ok((frame[2] & 0x02) === 0 && frame.length < mixed.length);
    assert.deepEqual((await decodeBoth(frame.slice(), mixed.length)).wasm.bytes, mixed);
  });

  it("leaves the other compressors' frames as they were: blosclz, lz4hc, zlib and zstd encode and decode the same on both paths", async () => {
    const cnames: BloscCompressorName[] = ["blosclz", "lz4hc", "zlib", "zstd"];
    for (const cname of cnames) {
      for (const shuffle of ["shuffle", "bitshuffle"] as const) {
        const data = sample("uint16-noise", 100_002, 5);
        const encoded = await encodeBoth(data, { cname, clevel: 5, shuffle, typesize: 2, blocksize: 0 });
        assert.deepEqual(encoded.wasm.bytes, encoded.js.bytes, `${cname} ${shuffle}: frames differ`);
        assert.equal(readBloscHeader(encoded.js.bytes!).compressor, cname === "lz4hc" ? "lz4" : cname);
        const decoded = await decodeBoth(encoded.js.bytes!, data.length);
        assert.deepEqual(decoded.wasm.bytes, data, `${cname} ${shuffle}`);
        assert.deepEqual(decoded.js.bytes, data, `${cname} ${shuffle}`);
      }
    }
  });

  it("keeps the decoded chunk SharedArrayBuffer-backed", async () => {
    const data = sample("uint16-noise", 50_000, 6);
    const frame = await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 });
    assert.ok((await decodeBloscFrame(frame, data.length)).buffer instanceof SharedArrayBuffer);
  });
});

describe("the codec's memory", () => {
  it("grows to a Blosc block, not a chunk, and releaseFrameScratch lets it go", async () => {
    releaseFrameScratch();
    assert.equal(frameScratchBytes(), 0);
    const data = sample("uint16-noise", 8 * 2 ** 20, 7); // an 8 MiB chunk of 512 KiB blocks
    const frame = await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 });
    assert.deepEqual(await decodeBloscFrame(frame, data.length), data);
    const held = bloscWasmCodecBytes();
    assert.ok(held > 0 && held <= 4 * readBloscHeader(frame).blocksize, `holds ${held} bytes for blocks of ${readBloscHeader(frame).blocksize}`);
    assert.equal(frameScratchBytes(), held);
    releaseFrameScratch();
    assert.equal(bloscWasmCodecBytes(), 0);
    assert.deepEqual(await decodeBloscFrame(frame, data.length), data, "a fresh instance decodes after the release");
  });

  it("drops an instance whose memory passed its cap once the frame is decoded", async () => {
    const data = sample("ramp", 12 * 2 ** 20, 8); // one 12 MiB block: a frame with blocksize = nbytes
    const frame = await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "noshuffle", typesize: 32, blocksize: data.length }); // typesize > 16: never split
    assert.equal(readBloscHeader(frame).blocksize, data.length);
    assert.deepEqual(await decodeBloscFrame(frame, data.length), data);
    assert.ok(bloscWasmCodecBytes() <= keptCodecBytes, `keeps ${bloscWasmCodecBytes()} bytes`);
  });
});

describe("the codec's memory against hostile headers", () => {
  /** An LZ4 stream refused at its first match (offset 0), after the module has taken its block. */
  const refusedStream = Uint8Array.from([0x14, 65, 0, 0, 0]);

  it("drops an instance grown past its cap by a frame it refuses, or one whose encoding throws", async () => {
    const nbytes = 12 * 2 ** 20; // one block: past keptCodecBytes, within maxCodecBlockBytes
    await assert.rejects(decodeBloscFrame(lz4Frame(refusedStream, nbytes), nbytes), /match offset 0 points before the output/);
    assert.ok(bloscWasmCodecBytes() <= keptCodecBytes, `keeps ${bloscWasmCodecBytes()} bytes after a refused frame`);
    const data = sample("ramp", nbytes, 12);
    // A bad clevel is refused before any block reaches the module.
    await assert.rejects(encodeBloscFrame(data, { cname: "lz4", clevel: Number.NaN, shuffle: "noshuffle", typesize: 32, blocksize: nbytes }), /clevel NaN must be an integer from 0 to 9/);
    assert.ok(bloscWasmCodecBytes() <= keptCodecBytes, `keeps ${bloscWasmCodecBytes()} bytes after a refused clevel`);
    // An encode that throws once the module has grown for the block: here the block's bytes
    // cannot be read (its length can, so the module makes room for it first).
    class UnreadableBytes extends Uint8Array<ArrayBuffer> {
      override subarray(begin = 0, end = this.length): Uint8Array<ArrayBuffer> {
        const length = end - begin;
        return new Proxy({}, { get: (_, key) => { if (key === "length") return length; throw new Error("this block cannot be read"); } }) as Uint8Array<ArrayBuffer>;
      }
    }
    const unreadable = new UnreadableBytes(new ArrayBuffer(data.length));
    unreadable.set(data);
    await assert.rejects(encodeBloscFrame(unreadable, { cname: "lz4", clevel: 5, shuffle: "noshuffle", typesize: 32, blocksize: nbytes }), /this block cannot be read/);
    assert.ok(bloscWasmCodecBytes() <= keptCodecBytes, `keeps ${bloscWasmCodecBytes()} bytes after a failed encode`);
  });

  it("leaves blocks past maxCodecBlockBytes to JavaScript: a 2 GiB block gets its error, not a failed memory.grow", async () => {
    const data = sample("uint16-noise", 100_000, 13);
    await decodeBloscFrame(await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 }), data.length);
    const held = bloscWasmCodecBytes();
    assert.ok(held > 0 && held <= keptCodecBytes);
    // Output pages the refused frames never touch are never committed: these cost little.
    for (const nbytes of [maxCodecBlockBytes + 16, 2 ** 31 - 1]) {
      const { wasm, js } = await decodeBoth(lz4Frame(refusedStream, nbytes), nbytes);
      assert.match(js.error ?? "decoded", /match offset 0 points before the output/);
      assert.equal(wasm.error, js.error, `a block of ${nbytes} bytes`);
      assert.equal(bloscWasmCodecBytes(), held, `a block of ${nbytes} bytes reached the module`);
    }
    const large = sample("ramp", maxCodecBlockBytes + 32, 14);
    const encoded = await encodeBoth(large, { cname: "lz4", clevel: 5, shuffle: "noshuffle", typesize: 32, blocksize: large.length });
    assert.deepEqual(encoded.wasm.bytes, encoded.js.bytes);
    assert.equal(bloscWasmCodecBytes(), held, "a block past the limit was encoded in the module");
  });
});

describe("worker threads", () => {
  it("each decode with an instance of their own, and their chunks reach the main thread shared", async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const frameModule = pathToFileURL(path.resolve(here, "../../../src/zarr/blosc-frame.js")).href;
    const codecModule = pathToFileURL(path.resolve(here, "../../../src/zarr/wasm/blosc-codec.js")).href;
    const data = sample("uint16-noise", 600_000, 11);
    const frame = (await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 })).slice();
    releaseFrameScratch();
    const script = `
      const { parentPort, workerData } = await import("node:worker_threads");
      const { decodeBloscFrame } = await import(${JSON.stringify(frameModule)});
      const { bloscWasmCodecBytes } = await import(${JSON.stringify(codecModule)});
      const decoded = await decodeBloscFrame(workerData.frame, workerData.bytes);
      parentPort.postMessage({ buffer: decoded.buffer, held: bloscWasmCodecBytes() });`;
    const results = await Promise.all([0, 1].map(() => new Promise<{ buffer: SharedArrayBuffer; held: number }>((resolve, reject) => {
      const worker = new Worker(script, { eval: true, workerData: { frame, bytes: data.length } });
      worker.once("message", (message: { buffer: SharedArrayBuffer; held: number }) => {
        resolve(message);
        void worker.terminate();
      });
      worker.once("error", reject);
    })));
    for (const { buffer, held } of results) {
      assert.ok(buffer instanceof SharedArrayBuffer);
      assert.deepEqual(new Uint8Array(buffer), data);
      assert.ok(held > 0, "the thread's own instance decoded the frame");
    }
    assert.equal(bloscWasmCodecBytes(), 0, "the main thread's instance was not used");
  });
});

describe("where WebAssembly or its SIMD is missing", () => {
  // A runtime without SIMD has WebAssembly but validate() refuses the module: stubbed here, as no Node flag turns SIMD off.
  const runtimes = [
    { name: "no WebAssembly", flags: ["--no-expose-wasm"], prelude: "" },
    { name: "WebAssembly without SIMD", flags: [], prelude: "WebAssembly.validate = () => false;" },
  ];
  for (const { name, flags, prelude } of runtimes) {
    it(`${name}: encodes and decodes with the JavaScript paths, to the same bytes`, async () => {
      const here = path.dirname(fileURLToPath(import.meta.url));
      const frameModule = pathToFileURL(path.resolve(here, "../../../src/zarr/blosc-frame.js")).href;
      const codecModule = pathToFileURL(path.resolve(here, "../../../src/zarr/wasm/blosc-codec.js")).href;
      const data = sample("uint16-noise", 100_000, 10);
      const script = `${prelude}
        const { encodeBloscFrame, decodeBloscFrame } = await import(${JSON.stringify(frameModule)});
        const { isBloscWasmAvailable, bloscWasmCodec } = await import(${JSON.stringify(codecModule)});
        const chunks = []; for await (const chunk of process.stdin) chunks.push(chunk);
        const data = new Uint8Array(Buffer.concat(chunks));
        const frame = await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 4, blocksize: 0 });
        const decoded = await decodeBloscFrame(frame.slice(), data.length);
        console.log(JSON.stringify({ available: isBloscWasmAvailable(), codec: bloscWasmCodec(), frame: Buffer.from(frame).toString("base64"), same: Buffer.from(decoded).equals(Buffer.from(data)) }));`;
      const output = execFileSync(process.execPath, [...flags, "--input-type=module", "-e", script], { input: data, encoding: "utf8" });
      const child = JSON.parse(output) as { available: boolean; codec: null; frame: string; same: boolean };
      assert.deepEqual([child.available, child.codec, child.same], [false, null, true]);
      const ours = await encodeBloscFrame(data, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 4, blocksize: 0 });
      assert.equal(child.frame, Buffer.from(ours).toString("base64"));
    });
  }
});
