/**
 * Blosc's two shuffle filters, applied to one block at a time, byte for byte as c-blosc 1.x
 * lays them out (a reader decodes with c-blosc, numcodecs or zarrita unchanged).
 *
 * Byte shuffle: with typesize t and n = floor(blocksize / t) elements, byte j of element i
 * moves to j·n + i, so the most significant bytes of all elements sit together and compress
 * well; the `blocksize mod t` trailing bytes are copied as they are.
 *
 * Bit shuffle (the bitshuffle library's layout, as c-blosc 1.x calls it): a block whose
 * element count n is not a multiple of 8 is copied unchanged; otherwise the n elements go
 * through three transposes and the `blocksize mod t` trailing bytes are copied:
 *   1. bytes by significance, as byte shuffle does (a t × n byte matrix);
 *   2. inside every group of 8 consecutive bytes, the 8×8 bit matrix: output row k holds
 *      bit k of the 8 bytes, row k of all groups gathered in one run of n·t/8 bytes;
 *   3. the rows, regrouped from [bit][byte-significance] to [byte-significance][bit],
 *      each row segment n/8 bytes long.
 * Unshuffling runs the inverse transposes in the reverse order.
 */

/** Typed-array words read and write bytes in this order (true on every platform Node runs on in practice). */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Typesize 2 (uint16/int16 chunks, the common microscopy case) four elements at a time: the
 * four low bytes and the four high bytes are one 32-bit word each, the four elements two
 * words. The byte loop below does the rest (and everything when the views are not aligned
 * for 32-bit words). Returns how many elements it did.
 */
function byteShuffle2Words(source: Uint8Array, target: Uint8Array, count: number): number {
  const quads = count >>> 2;
  if (!littleEndian || quads === 0 || source.byteOffset % 4 !== 0 || target.byteOffset % 4 !== 0 || (target.byteOffset + count) % 4 !== 0) return 0;
  const elements = new Uint32Array(source.buffer, source.byteOffset, quads * 2);
  const low = new Uint32Array(target.buffer, target.byteOffset, quads);
  const high = new Uint32Array(target.buffer, target.byteOffset + count, quads);
  for (let q = 0, e = 0; q < quads; q++, e += 2) {
    const a = elements[e];
    const b = elements[e + 1];
    low[q] = (a & 0xff) | ((a >>> 8) & 0xff00) | ((b & 0xff) << 16) | ((b << 8) & 0xff000000);
    high[q] = ((a >>> 8) & 0xff) | ((a >>> 16) & 0xff00) | ((b << 8) & 0xff0000) | (b & 0xff000000);
  }
  return quads * 4;
}

function byteUnshuffle2Words(source: Uint8Array, target: Uint8Array, count: number): number {
  const quads = count >>> 2;
  if (!littleEndian || quads === 0 || target.byteOffset % 4 !== 0 || source.byteOffset % 4 !== 0 || (source.byteOffset + count) % 4 !== 0) return 0;
  const elements = new Uint32Array(target.buffer, target.byteOffset, quads * 2);
  const low = new Uint32Array(source.buffer, source.byteOffset, quads);
  const high = new Uint32Array(source.buffer, source.byteOffset + count, quads);
  for (let q = 0, e = 0; q < quads; q++, e += 2) {
    const lo = low[q];
    const hi = high[q];
    elements[e] = (lo & 0xff) | ((hi & 0xff) << 8) | ((lo & 0xff00) << 8) | ((hi & 0xff00) << 16);
    elements[e + 1] = ((lo >>> 16) & 0xff) | ((hi >>> 8) & 0xff00) | ((lo >>> 8) & 0xff0000) | (hi & 0xff000000);
  }
  return quads * 4;
}

export function byteShuffle(source: Uint8Array, target: Uint8Array, typesize: number): void {
  const count = Math.floor(source.length / typesize);
  const done = typesize === 2 ? byteShuffle2Words(source, target, count) : 0;
  for (let byte = 0; byte < typesize; byte++) {
    let out = byte * count + done;
    for (let element = done, at = done * typesize + byte; element < count; element++, at += typesize) target[out++] = source[at];
  }
  const tail = count * typesize;
  target.set(source.subarray(tail), tail);
}

export function byteUnshuffle(source: Uint8Array, target: Uint8Array, typesize: number): void {
  const count = Math.floor(source.length / typesize);
  const done = typesize === 2 ? byteUnshuffle2Words(source, target, count) : 0;
  for (let byte = 0; byte < typesize; byte++) {
    let from = byte * count + done;
    for (let element = done, at = done * typesize + byte; element < count; element++, at += typesize) target[at] = source[from++];
  }
  const tail = count * typesize;
  target.set(source.subarray(tail), tail);
}

// spreadLow[v] has bit k of v (k < 4) at bit 8k; spreadHigh[v] the same for bits 4..7.
const spreadLow = new Int32Array(256);
const spreadHigh = new Int32Array(256);
for (let value = 0; value < 256; value++) {
  for (let bit = 0; bit < 4; bit++) {
    spreadLow[value] |= ((value >>> bit) & 1) << (bit * 8);
    spreadHigh[value] |= ((value >>> (bit + 4)) & 1) << (bit * 8);
  }
}

/**
 * The 8×8 bit transpose of step 2: byte k of the result (written `rowLength` apart) holds
 * bit k of the 8 input bytes, input m at bit m. It is its own inverse.
 */
function transposeBits(source: Uint8Array, sourceAt: number, target: Uint8Array, targetAt: number, rowLength: number): void {
  let low = 0;
  let high = 0;
  for (let input = 0; input < 8; input++) {
    const value = source[sourceAt + input];
    low |= spreadLow[value] << input;
    high |= spreadHigh[value] << input;
  }
  target[targetAt] = low & 0xff;
  target[targetAt + rowLength] = (low >>> 8) & 0xff;
  target[targetAt + 2 * rowLength] = (low >>> 16) & 0xff;
  target[targetAt + 3 * rowLength] = low >>> 24;
  target[targetAt + 4 * rowLength] = high & 0xff;
  target[targetAt + 5 * rowLength] = (high >>> 8) & 0xff;
  target[targetAt + 6 * rowLength] = (high >>> 16) & 0xff;
  target[targetAt + 7 * rowLength] = high >>> 24;
}

/** Elements that take part in the bit shuffle: all of them, or none unless a multiple of 8. */
function bitShuffledCount(length: number, typesize: number): number {
  const count = Math.floor(length / typesize);
  return count % 8 === 0 ? count : 0;
}

export function bitShuffle(source: Uint8Array, target: Uint8Array, typesize: number): void {
  const count = bitShuffledCount(source.length, typesize);
  const used = count * typesize;
  if (count > 0) {
    const bySignificance = new Uint8Array(used);
    byteShuffle(source.subarray(0, used), bySignificance, typesize);
    const rowLength = used / 8;
    const bitRows = new Uint8Array(used);
    for (let group = 0; group < rowLength; group++) transposeBits(bySignificance, group * 8, bitRows, group, rowLength);
    const segment = count / 8;
    for (let bit = 0; bit < 8; bit++) {
      for (let byte = 0; byte < typesize; byte++) {
        const from = (bit * typesize + byte) * segment;
        target.set(bitRows.subarray(from, from + segment), (byte * 8 + bit) * segment);
      }
    }
  }
  target.set(source.subarray(used), used);
}

export function bitUnshuffle(source: Uint8Array, target: Uint8Array, typesize: number): void {
  const count = bitShuffledCount(source.length, typesize);
  const used = count * typesize;
  if (count > 0) {
    const segment = count / 8;
    const bitRows = new Uint8Array(used);
    for (let bit = 0; bit < 8; bit++) {
      for (let byte = 0; byte < typesize; byte++) {
        const from = (byte * 8 + bit) * segment;
        bitRows.set(source.subarray(from, from + segment), (bit * typesize + byte) * segment);
      }
    }
    const rowLength = used / 8;
    const bySignificance = new Uint8Array(used);
    const gathered = new Uint8Array(8);
    const transposed = new Uint8Array(8);
    for (let group = 0; group < rowLength; group++) {
      for (let k = 0; k < 8; k++) gathered[k] = bitRows[group + k * rowLength];
      // The 8×8 bit transpose is its own inverse.
      transposeBits(gathered, 0, transposed, 0, 1);
      bySignificance.set(transposed, group * 8);
    }
    byteUnshuffle(bySignificance, target.subarray(0, used), typesize);
  }
  target.set(source.subarray(used), used);
}
