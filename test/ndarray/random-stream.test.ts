/**
 * The values of `random` are a fixed stream: SplitMix32 folds the seed into a xoshiro256+
 * state (eight 32-bit outputs, low then high half of each 64-bit word), one step per value:
 * float64 values are (s0 + s3) >> 11 over 2^53, float32 values (s0 + s3) >> 40 over 2^24. Arrays made before stay the same arrays after a change to the generator
 * loop, so the stream is checked value for value against an independent implementation of
 * the same definition in Python (plain integers, nothing shared with ours).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as nd from "../../src/ndarray/index.js";

const reference = String.raw`
import json, struct, sys
M = 0xFFFFFFFF
def splitmix(state):
    nxt = (state + 0x9E3779B9) & M
    z = nxt
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
    return nxt, (z ^ (z >> 16)) & M
def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M
W = (1 << 64) - 1
def rotl64(x, k):
    return ((x << k) | (x >> (64 - k))) & W
def generator(seed):
    words = []
    for value in (seed if isinstance(seed, list) else [seed]):
        words += [value & M, (value >> 32) & M]
    mix = 0x6A09E667
    for word in words:
        _, mix = splitmix(mix ^ word)
    halves = []
    for _ in range(8):
        mix, word = splitmix(mix)
        halves.append(word)
    if not any(halves):
        halves[0] = 1
    state = [halves[2 * i] | (halves[2 * i + 1] << 32) for i in range(4)]
    def draw():
        s0, s1, s2, s3 = state
        result = (s0 + s3) & W
        t = (s1 << 17) & W
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl64(s3, 45)
        state[:] = [s0, s1, s2, s3]
        return result
    return draw
out = sys.stdout.buffer
for case in json.loads(sys.argv[1]):
    draw = generator(case["seed"])
    if case["dtype"] == "float64":
        values = [(draw() >> 11) / 2.0**53 for _ in range(case["size"])]
    else:
        values = [(draw() >> 40) / 2.0**24 for _ in range(case["size"])]
    out.write(struct.pack("<%dd" % len(values), *values))
`;

interface Case { seed: number | number[]; dtype: "float64" | "float32"; shape: number[] }

const cases: Case[] = [
  { seed: 0, dtype: "float64", shape: [1] },
  { seed: 42, dtype: "float64", shape: [7, 3] },
  { seed: [3, 1, 4], dtype: "float64", shape: [40, 50] },
  { seed: 2 ** 40 + 5, dtype: "float64", shape: [2, 3, 5] },
  { seed: [7, 0], dtype: "float32", shape: [33] },
  { seed: 123456789, dtype: "float32", shape: [20, 25] },
  // more values than one WebAssembly fill call makes (32768), so the state carries across calls
  { seed: [9, 2], dtype: "float64", shape: [200, 201] },
  { seed: [9, 3], dtype: "float32", shape: [40000] },
];

describe("random stream", () => {
  it("gives, value for value, the xoshiro256+ stream of an independent Python implementation (float64 and float32)", () => {
    const spec = cases.map((c) => ({ seed: c.seed, dtype: c.dtype, size: c.shape.reduce((p, n) => p * n, 1) }));
    const bytes = execFileSync("/usr/bin/python3", ["-B", "-c", reference, JSON.stringify(spec)], { maxBuffer: 1 << 26 });
    const expectedAll = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    let at = 0;
    for (const c of cases) {
      const values = nd.random(c.shape, { seed: c.seed, dtype: c.dtype }).toTypedArray() as Float64Array | Float32Array;
      const expected = expectedAll.subarray(at, at + values.length);
      at += values.length;
      const first = values.findIndex((v, i) => !Object.is(v, expected[i]));
      assert.equal(first, -1, `seed ${JSON.stringify(c.seed)} ${c.dtype} ${JSON.stringify(c.shape)}: element ${first} is ${values[first]}, the stream's is ${expected[first]}`);
    }
    assert.equal(at, expectedAll.length);
  });
});
