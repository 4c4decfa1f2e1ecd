/**
 * The foreground of a block as 0/1 bytes, for labelling: a cell is foreground where it is
 * nonzero (NumPy's truth: NaN is foreground, −0 is not).
 *
 * One loop per kind of typed array, each seeing only that kind, so V8 keeps every element read
 * monomorphic (a single loop over all dtypes reads through a megamorphic access, several times
 * slower per cell). The bits are shared memory (SharedArrayBuffer), as NDArray blocks are: a
 * labelled block kept on a worker is read by later tasks on other compute threads without a copy.
 */
import { type NDArray, allocate } from "../ndarray/ndarray.js";

/** The nonzero cells of `input` in C order, 1 or 0, in shared memory. */
export function foregroundBits(input: NDArray): Uint8Array {
  const flat = input.toTypedArray();
  const bits = allocate("uint8", flat.length) as Uint8Array;
  const { buffer, byteOffset } = flat;
  switch (input.dtype) {
    case "bool":
    case "int8":
    case "uint8":
      nonzeroBytes(new Uint8Array(buffer, byteOffset, flat.length), bits);
      break;
    case "int16":
    case "uint16":
      nonzeroShorts(new Uint16Array(buffer, byteOffset, flat.length), bits);
      break;
    case "int32":
    case "uint32":
      nonzeroWords(new Int32Array(buffer, byteOffset, flat.length), bits);
      break;
    case "float32":
      nonzeroFloats(flat as Float32Array, bits);
      break;
    case "float64":
      nonzeroDoubles(flat as Float64Array, bits);
      break;
    case "int64":
    case "uint64":
      // A 64-bit integer is zero when both its 32-bit halves are, whatever the byte order.
      nonzeroWordPairs(new Int32Array(buffer, byteOffset, 2 * flat.length), bits);
      break;
    default:
      throw new TypeError(`label: no foreground rule for dtype ${String(input.dtype)}`);
  }
  return bits;
}

/**
 * Four bytes at a time: per byte, adding 0x7f to its low 7 bits carries into its top bit unless
 * they are all zero, and or-ing the byte keeps a set top bit; no carry crosses bytes.
 */
function nonzeroBytes(values: Uint8Array, bits: Uint8Array): void {
  const n = values.length;
  let words = 0;
  if (values.byteOffset % 4 === 0 && bits.byteOffset % 4 === 0) {
    words = n >> 2;
    const from = new Uint32Array(values.buffer, values.byteOffset, words);
    const to = new Uint32Array(bits.buffer, bits.byteOffset, words);
    for (let i = 0; i < words; i++) {
      const x = from[i];
      to[i] = ((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) >>> 7) & 0x01010101;
    }
  }
  for (let i = words << 2; i < n; i++) bits[i] = (values[i] + 255) >> 8;
}

// Branch-free (Number of a comparison, not `? 1 : 0`): a noisy mask mispredicts any branch.
function nonzeroShorts(values: Uint16Array, bits: Uint8Array): void {
  for (let i = 0; i < bits.length; i++) bits[i] = Number(values[i] !== 0);
}

function nonzeroWords(values: Int32Array, bits: Uint8Array): void {
  for (let i = 0; i < bits.length; i++) bits[i] = Number(values[i] !== 0);
}

function nonzeroFloats(values: Float32Array, bits: Uint8Array): void {
  for (let i = 0; i < bits.length; i++) bits[i] = Number(values[i] !== 0);
}

function nonzeroDoubles(values: Float64Array, bits: Uint8Array): void {
  for (let i = 0; i < bits.length; i++) bits[i] = Number(values[i] !== 0);
}

function nonzeroWordPairs(values: Int32Array, bits: Uint8Array): void {
  for (let i = 0; i < bits.length; i++) bits[i] = Number((values[2 * i] | values[2 * i + 1]) !== 0);
}
