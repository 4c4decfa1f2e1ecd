import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type DType, dtypeInfo } from "../../src/ndarray/dtype.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { foregroundBits } from "../../src/ndimage/label-foreground.js";

/** Values whose bytes or words trip bit tricks: one byte or one 32-bit half zero, the sign bit alone, −0, NaN. */
const edgeValues: Record<string, Array<number | bigint>> = {
  bool: [0, 1],
  int8: [0, 1, -1, -128, 127],
  uint8: [0, 1, 2, 127, 128, 255],
  int16: [0, 1, 256, -32768, -1, 0x0100],
  uint16: [0, 1, 255, 256, 0x8000, 0xff00],
  int32: [0, 1, 256, 65536, 2 ** 24, -(2 ** 31), -1],
  uint32: [0, 1, 2 ** 24, 2 ** 31, 2 ** 32 - 1],
  float32: [0, -0, 1, -1, 1e-45, Number.NaN, Infinity, -Infinity],
  float64: [0, -0, 5e-324, -5e-324, Number.NaN, 1, -Infinity],
  int64: [0n, 1n, 2n ** 32n, -(2n ** 63n), -1n],
  uint64: [0n, 1n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n],
};

/** A seeded mixture of the edge values, long enough for whole words and a ragged tail. */
function mixture(dtype: DType, length: number): NDArray {
  const values = edgeValues[dtype];
  const data = new (dtypeInfo(dtype).array as Float64ArrayConstructor)(length);
  let state = 17;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    (data as unknown as Array<number | bigint>)[i] = values[state % values.length];
  }
  return new NDArray(data, [length], { dtype });
}

describe("foregroundBits: the nonzero cells as 0/1 bytes, as NumPy's `x != 0`", () => {
  for (const dtype of Object.keys(edgeValues) as DType[]) {
    it(`${dtype}: every value, at every byte alignment of the view and ragged lengths`, () => {
      const whole = mixture(dtype, 203);
      const flat = whole.toTypedArray();
      for (let offset = 0; offset < 4; offset++) {
        for (const length of [0, 1, 3, 4, 5, 64, 199 - offset]) {
          // A view that starts `offset` elements in: its bytes are misaligned for 4-byte words.
          const view = new NDArray(whole.data, [length], { offset, dtype });
          const bits = foregroundBits(view);
          const expected = Uint8Array.from(flat.subarray(offset, offset + length) as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? Number(v !== 0n) : Number(v !== 0)));
          assert.deepEqual(bits, expected, `offset ${offset}, length ${length}`);
        }
      }
    });
  }

  it("reads a strided view in C order and keeps its bits in shared memory", () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 0 : i));
    const transposed = new NDArray(data, [4, 6], { strides: [1, 4], dtype: "uint8" });
    const bits = foregroundBits(transposed);
    const expected = new Uint8Array(24);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 6; j++) expected[i * 6 + j] = data[i + 4 * j] !== 0 ? 1 : 0;
    assert.deepEqual(bits, expected);
    assert.ok(bits.buffer instanceof SharedArrayBuffer, "shared, so later tasks on other threads read it without a copy");
  });
});
