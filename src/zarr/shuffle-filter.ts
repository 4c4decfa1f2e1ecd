/**
 * numcodecs' Shuffle filter (a v2 `filters` entry `{ id: "shuffle", elementsize }`), byte for
 * byte as numcodecs 0.11 lays it out: byte j of element i moves to j·n + i over the n =
 * nbytes / elementsize elements of the chunk.
 *
 * The element size is the filter's own (numcodecs' default is 4), not the array's itemsize:
 * zarrita's built-in shuffle takes the itemsize, which reads and writes a float64 array
 * shuffled by 4 (or a complex128 one shuffled by 16) as garbage. numcodecs refuses a buffer
 * that is not a whole number of elements; so does this codec, before anything is stored.
 */
import { byteShuffle, byteUnshuffle } from "./shuffle.js";

export class ShuffleFilterCodec {
  readonly kind = "bytes_to_bytes";

  constructor(readonly elementsize: number) {}

  static fromConfig(configuration: { elementsize?: unknown } | undefined): ShuffleFilterCodec {
    const elementsize = configuration?.elementsize ?? 4;
    if (!Number.isSafeInteger(elementsize) || (elementsize as number) < 0) {
      throw new Error(`the shuffle filter's elementsize ${JSON.stringify(elementsize)} is not a non-negative integer`);
    }
    return new ShuffleFilterCodec(elementsize as number);
  }

  encode(data: Uint8Array): Uint8Array {
    return this.run(data, byteShuffle);
  }

  decode(data: Uint8Array): Uint8Array {
    return this.run(data, byteUnshuffle);
  }

  private run(data: Uint8Array, move: (source: Uint8Array, target: Uint8Array, size: number) => void): Uint8Array {
    // numcodecs copies the bytes unchanged for an element size of 0 or 1.
    if (this.elementsize <= 1) return data;
    if (data.byteLength % this.elementsize !== 0) {
      throw new Error(`a chunk of ${data.byteLength} bytes is not a whole number of the shuffle filter's ${this.elementsize}-byte elements`);
    }
    const out = new Uint8Array(data.byteLength);
    move(data, out, this.elementsize);
    return out;
  }
}
