/**
 * A spilled value streamed from its file (src/worker/memory/spill-stream.ts): its frames come
 * in pieces of at most the piece size that together are the value's bytes exactly, from two
 * buffers in turn; a file removed after opening still streams intact; a flipped byte in a
 * frame fails with SpillFileError before the frame's last piece is handed out; a compressed
 * file is not streamed (null: read back whole).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unpackPayload } from "../../../src/protocol/payload.js";
import { CompressionPolicy } from "../../../src/worker/memory/spill-compression.js";
import { SpillFileError, writeSpillFile } from "../../../src/worker/memory/spill-file.js";
import { type SpillStream, openSpillStream } from "../../../src/worker/memory/spill-stream.js";

const KiB = 1024;
const piece = 64 * KiB;

/** 1 MiB + 3 bytes' worth of float64 (an uneven last piece) and a small second frame. */
function value(): { big: Float64Array; small: Uint8Array; label: string } {
  const big = new Float64Array((16 * piece + 24) / 8);
  for (let i = 0; i < big.length; i++) big[i] = i * 0.5 - 7;
  return { big, small: Uint8Array.from({ length: 1000 }, (_, i) => i % 251), label: "two frames" };
}

/** Every frame's pieces, copied as they come (a piece is valid only until the next is asked for). */
async function drain(stream: SpillStream): Promise<{ frames: Uint8Array[]; pieceSizes: number[] }> {
  const frames: Uint8Array[] = [];
  const pieceSizes: number[] = [];
  for (const frame of stream.frames) {
    const bytes = new Uint8Array(frame.byteLength);
    let at = 0;
    for await (const part of frame.pieces()) {
      bytes.set(part, at);
      at += part.byteLength;
      pieceSizes.push(part.byteLength);
    }
    assert.equal(at, frame.byteLength);
    frames.push(bytes);
  }
  return { frames, pieceSizes };
}

describe("streaming a spilled value from its file", () => {
  let dir: string;
  let count = 0;
  before(() => (dir = mkdtempSync(join(tmpdir(), "tessera-spill-stream-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function spilled(compression: "zlib" | false = false, contents: unknown = value()): Promise<string> {
    const path = join(dir, `${++count}.spill`);
    await writeSpillFile(path, contents, new CompressionPolicy(compression, false));
    return path;
  }

  it("gives the value's frames exactly, in pieces of at most the piece size", async () => {
    const stream = await openSpillStream(await spilled(), piece);
    assert.ok(stream);
    try {
      assert.equal(stream.bufferBytes, 2 * piece, "two buffers of one piece");
      const { frames, pieceSizes } = await drain(stream);
      assert.ok(pieceSizes.every((size) => size <= piece), `pieces ${pieceSizes.join(", ")}`);
      assert.equal(pieceSizes.length, 17 + 1, "16 whole pieces and an uneven one, then the small frame");
      assert.deepEqual(unpackPayload(stream.tree, frames), value());
    } finally {
      await stream.close();
    }
  });

  it("streams intact from a file removed after it was opened (the key deleted meanwhile)", async () => {
    const path = await spilled();
    const stream = await openSpillStream(path, piece);
    assert.ok(stream);
    rmSync(path);
    try {
      assert.deepEqual(unpackPayload(stream.tree, (await drain(stream)).frames), value());
    } finally {
      await stream.close();
    }
  });

  for (const [where, fraction] of [["first", 0.01], ["middle", 0.5], ["last", 0.97]] as const) {
    it(`fails a frame with a flipped byte in its ${where} piece before handing out its last piece`, async () => {
      const path = await spilled();
      const bytes = readFileSync(path);
      const stream = await openSpillStream(path, piece);
      assert.ok(stream);
      const big = stream.frames[0];
      // The big frame starts after the prefix and header: damage a byte inside it.
      const start = bytes.byteLength - 4 * 2 - 1000 - big.byteLength;
      bytes[start + Math.floor(big.byteLength * fraction)] ^= 0x10;
      writeFileSync(path, bytes);
      let handedOut = 0;
      try {
        await assert.rejects(async () => {
          for await (const part of big.pieces()) handedOut += part.byteLength;
        }, (error: Error) => error instanceof SpillFileError && /frame 0 fails its checksum/.test(error.message));
      } finally {
        await stream.close();
      }
      assert.ok(handedOut < big.byteLength, `${handedOut} of ${big.byteLength} bytes handed out: never the whole frame`);
    });
  }

  it("leaves a compressed file to be read back whole", async () => {
    const smooth = new Float64Array(64 * KiB).fill(3); // zlib shrinks it
    assert.equal(await openSpillStream(await spilled("zlib", { smooth }), piece), null);
  });

  it("fails to open a file whose header is damaged", async () => {
    const path = await spilled();
    const bytes = readFileSync(path);
    bytes[14] ^= 0x01;
    writeFileSync(path, bytes);
    await assert.rejects(openSpillStream(path, piece), (error: Error) => error instanceof SpillFileError && /header fails its checksum/.test(error.message));
  });
});
