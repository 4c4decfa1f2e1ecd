/**
 * The LZ4 block encoder behind Blosc's lz4 streams (src/zarr/lz4-encode.ts): every block it
 * writes decodes to its input, keeps LZ4's end-of-block rules (which c-blosc's decoder may rely
 * on; test/zarr/blosc.test.ts has c-blosc decode whole frames), and compresses what repeats.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { encodeLz4Block, encodeLz4BlockInto, lz4Bound } from "../../src/zarr/lz4-encode.js";
import { decodeLz4Block } from "../../src/zarr/lz4-block.js";

function noise(bytes: number, seed: number): Uint8Array {
  const data = new Uint8Array(bytes);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = state & 0xff;
  }
  return data;
}

/** Per sequence of an LZ4 block: where its match starts in the output (or -1: literals only) and its literal count. */
function sequences(block: Uint8Array): Array<{ literals: number; matchAt: number }> {
  const out: Array<{ literals: number; matchAt: number }> = [];
  let input = 0;
  let output = 0;
  const length = (nibble: number): number => {
    let n = nibble;
    if (nibble === 15) {
      let more = 255;
      while (more === 255) n += more = block[input++];
    }
    return n;
  };
  while (input < block.length) {
    const token = block[input++];
    const literals = length(token >>> 4);
    input += literals;
    output += literals;
    if (input === block.length) {
      out.push({ literals, matchAt: -1 });
      break;
    }
    input += 2;
    const match = length(token & 15) + 4;
    out.push({ literals, matchAt: output });
    output += match;
  }
  return out;
}

function roundTrip(data: Uint8Array, acceleration: number, what: string): Uint8Array {
  const block = encodeLz4Block(data, acceleration);
  assert.ok(block.length <= lz4Bound(data.length), `${what}: within LZ4's bound`);
  const back = new Uint8Array(data.length);
  assert.equal(decodeLz4Block(block, back), data.length, `${what}: decodes to the input's length`);
  assert.ok(Buffer.from(back).equals(Buffer.from(data)), `${what}: decodes to the input`);
  const parsed = sequences(block);
  const last = parsed[parsed.length - 1];
  assert.equal(last.matchAt, -1, `${what}: the last sequence is literals only`);
  if (data.length >= 13) {
    assert.ok(last.literals >= 5, `${what}: the last 5 bytes are literals (${last.literals})`);
    for (const sequence of parsed.slice(0, -1)) assert.ok(sequence.matchAt <= data.length - 12, `${what}: no match starts in the last 12 bytes`);
  }
  return block;
}

describe("LZ4 block encoding", () => {
  it("round-trips short inputs of every length up to 40 bytes, repetitive and not", () => {
    for (let n = 0; n <= 40; n++) {
      roundTrip(noise(n, n + 1), 1, `noise of ${n}`);
      roundTrip(new Uint8Array(n).fill(7), 1, `a run of ${n}`);
    }
  });

  it("round-trips long literal runs, long matches, overlapping matches and matches near the 64 KiB offset limit", () => {
    const mixed = new Uint8Array(300_000);
    mixed.set(noise(70_000, 3), 0);
    mixed.set(noise(70_000, 3).subarray(0, 1000), 66_000); // the same bytes 66000 back: beyond LZ4's reach
    mixed.set(noise(70_000, 3).subarray(10_000, 14_000), 75_000); // 65000 back: within it
    mixed.fill(200, 100_000, 150_000); // one long overlapping match
    for (let i = 150_000; i < 300_000; i++) mixed[i] = (i * 7) & 0xff; // a short period
    for (const acceleration of [1, 5, 9]) roundTrip(mixed, acceleration, `mixed, acceleration ${acceleration}`);
  });

  it("compresses what repeats and keeps noise near its size", () => {
    const run = roundTrip(new Uint8Array(100_000).fill(1), 5, "a constant");
    assert.ok(run.length < 1000, `a constant of 100000 bytes takes ${run.length}`);
    const random = roundTrip(noise(100_000, 9), 5, "noise");
    assert.ok(random.length <= lz4Bound(100_000) && random.length > 99_000, `noise takes ${random.length}`);
  });

  it("compresses within 1% of LZ4's own fast mode (numcodecs' LZ4) at every acceleration", () => {
    // Byte planes of a smooth noisy uint16 signal, as Blosc's shuffle hands them over.
    const n = 1 << 18;
    const data = new Uint8Array(n);
    const values = noise(n, 5);
    for (let i = 0; i < n / 2; i++) {
      const value = 1000 + Math.round(200 * Math.sin(i / 50)) + (values[i] & 15);
      data[i] = value & 0xff;
      data[n / 2 + i] = value >> 8;
    }
    const accelerations = [1, 3, 5, 9];
    const script = "import sys\nfrom numcodecs import LZ4\nd = sys.stdin.buffer.read()\n"
      + `print(' '.join(str(len(LZ4(acceleration=a).encode(d)) - 4) for a in (${accelerations.join(", ")})))`;
    const reference = execFileSync("/usr/bin/python3", ["-c", script], { input: data, encoding: "utf8" }).trim().split(" ").map(Number);
    accelerations.forEach((acceleration, i) => {
      const ours = roundTrip(data, acceleration, `acceleration ${acceleration}`).length;
      assert.ok(ours <= reference[i] * 1.01, `acceleration ${acceleration}: ${ours} bytes against LZ4's ${reference[i]}`);
    });
  });

  it("writes the same block into a caller's buffer at any offset, and refuses a buffer below LZ4's bound", () => {
    const data = new Uint8Array(50_000);
    for (let i = 0; i < data.length; i++) data[i] = (i % 251) ^ ((i * 2654435761) >>> 29);
    for (const acceleration of [1, 5]) {
      const block = encodeLz4Block(data, acceleration);
      const room = new Uint8Array(lz4Bound(data.length) + 37).fill(0xa5);
      const length = encodeLz4BlockInto(data, room.subarray(37), acceleration);
      assert.equal(length, block.length);
      assert.ok(Buffer.from(room.subarray(37, 37 + length)).equals(Buffer.from(block)), `acceleration ${acceleration}: same bytes`);
      assert.ok(room.subarray(0, 37).every((b) => b === 0xa5), "nothing written before the target");
    }
    assert.throws(() => encodeLz4BlockInto(data, new Uint8Array(lz4Bound(data.length) - 1)), /needs a target of \d+ bytes/);
  });

  it("refuses an acceleration that is not a finite number of at least 1 (a NaN step would never end)", () => {
    for (const bad of [Number.NaN, 0, -3, Number.POSITIVE_INFINITY]) {
      assert.throws(() => encodeLz4Block(new Uint8Array(100), bad), /LZ4 acceleration must be a finite number ≥ 1/);
    }
  });
});
