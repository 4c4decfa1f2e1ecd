/**
 * BloscLZ, Blosc's own FastLZ-derived codec, for the streams inside Blosc chunks.
 *
 * Stream format (what c-blosc's blosclz_decompress reads): the first byte's low 5 bits are
 * the first instruction (its bit 5 is a marker the encoder sets). An instruction byte below
 * 32 means "copy the next byte+1 literals". Otherwise it is a match: its top 3 bits give the
 * length (L − 2 for lengths 3..8; 7 means "9 + the sum of the following bytes, each 255 until
 * the last"), its low 5 bits the high part of the distance − 1, and the next byte the low
 * part. A match at distance − 1 ≥ 8191 writes 31 and 255 there and a 16-bit big-endian
 * (distance − 8192) after. Copies may overlap their own output (runs).
 *
 * c-blosc 1.21's decoder reads the next instruction before it copies a match, so a stream
 * that ended with a match would lose it: streams always end with literals. The decoder here
 * checks every bound; the encoder's output is checked by decoding with c-blosc in the tests.
 */

const maxLiteralRun = 32;
const nearDistanceLimit = 8191;
const farDistanceLimit = nearDistanceLimit + 65535;
const minMatch = 4;
const hashBits = 14;

export class BloscLzFormatError extends Error {
  override name = "BloscLzFormatError";
}

export function decodeBloscLz(source: Uint8Array, target: Uint8Array): number {
  const end = source.length;
  if (end === 0) return 0;
  let input = 1;
  let output = 0;
  let instruction = source[0] & 31;
  while (true) {
    if (instruction < 32) {
      const count = instruction + 1;
      if (input + count > end) throw new BloscLzFormatError("literals run past the end of the input");
      if (output + count > target.length) throw new BloscLzFormatError("literals run past the expected size");
      target.set(source.subarray(input, input + count), output);
      input += count;
      output += count;
    } else {
      let length = (instruction >>> 5) - 1;
      const high = (instruction & 31) << 8;
      if (length === 6) {
        let more = 255;
        while (more === 255) {
          if (input >= end) throw new BloscLzFormatError("match length runs past the end of the input");
          more = source[input++];
          length += more;
        }
      }
      if (input >= end) throw new BloscLzFormatError("match distance runs past the end of the input");
      const low = source[input++];
      let distance = high + low + 1;
      if (low === 255 && high === 31 << 8) {
        if (input + 2 > end) throw new BloscLzFormatError("far match distance runs past the end of the input");
        distance = ((source[input] << 8) | source[input + 1]) + nearDistanceLimit + 1;
        input += 2;
      }
      length += 3;
      if (distance > output) throw new BloscLzFormatError(`match distance ${distance} points before the output`);
      if (output + length > target.length) throw new BloscLzFormatError("match runs past the expected size");
      const from = output - distance;
      if (distance >= length) target.copyWithin(output, from, from + length);
      else for (let i = 0; i < length; i++) target[output + i] = target[from + i];
      output += length;
    }
    if (input >= end) break;
    instruction = source[input++];
  }
  return output;
}

function writeLiterals(source: Uint8Array, from: number, to: number, target: Uint8Array, at: number): number {
  while (from < to) {
    const count = Math.min(maxLiteralRun, to - from);
    target[at++] = count - 1;
    target.set(source.subarray(from, from + count), at);
    at += count;
    from += count;
  }
  return at;
}

function writeMatch(length: number, distance: number, target: Uint8Array, at: number): number {
  const biased = distance - 1;
  const far = biased >= nearDistanceLimit;
  const distanceHigh = far ? 31 : biased >>> 8;
  let extra = length - 2;
  if (extra < 7) {
    target[at++] = (extra << 5) | distanceHigh;
  } else {
    target[at++] = (7 << 5) | distanceHigh;
    for (extra -= 7; extra >= 255; extra -= 255) target[at++] = 255;
    target[at++] = extra;
  }
  if (far) {
    const rest = biased - nearDistanceLimit;
    target[at++] = 255;
    target[at++] = rest >>> 8;
    target[at++] = rest & 255;
  } else {
    target[at++] = biased & 255;
  }
  return at;
}

/**
 * Greedy LZ77 with a one-entry hash table of 4-byte prefixes. Returns the encoded stream, or
 * undefined when it would not be smaller than the input (Blosc then stores the bytes raw).
 */
export function encodeBloscLz(source: Uint8Array): Uint8Array | undefined {
  const length = source.length;
  if (length < 16) return undefined;
  // Literal runs add one byte per 32; a stream that reaches `length` is useless anyway.
  const target = new Uint8Array(length + Math.ceil(length / maxLiteralRun) + 16);
  const table = new Int32Array(1 << hashBits).fill(-1);
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  // c-blosc's decoder reads the next instruction before copying a match and stops at the end
  // of the input, so a stream must end with literals: keep at least one byte after any match.
  const lastMatchStart = length - minMatch - 1;
  let at = 0;
  let anchor = 0;
  let position = 1; // the first byte is always a literal: the first instruction must be one
  while (position <= lastMatchStart) {
    const prefix = view.getUint32(position, true);
    const slot = Math.imul(prefix, 2654435761) >>> (32 - hashBits);
    const candidate = table[slot];
    table[slot] = position;
    const distance = position - candidate;
    if (candidate < 0 || distance > farDistanceLimit || view.getUint32(candidate, true) !== prefix) {
      position++;
      continue;
    }
    let matchLength = minMatch;
    while (position + matchLength < length - 1 && source[candidate + matchLength] === source[position + matchLength]) matchLength++;
    at = writeLiterals(source, anchor, position, target, at);
    at = writeMatch(matchLength, distance, target, at);
    position += matchLength;
    anchor = position;
    if (at >= length) return undefined;
  }
  at = writeLiterals(source, anchor, length, target, at);
  if (at >= length) return undefined;
  target[0] |= 1 << 5;
  return target.subarray(0, at);
}
