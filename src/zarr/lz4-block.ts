/**
 * A strict LZ4 block decoder (the raw block format, no frame), used for the streams inside
 * Blosc chunks. Unlike a decoder that trusts its input, it refuses any sequence that reads
 * past the input, writes past the expected size, or points before the start of the output,
 * and it reports how much it wrote so the caller can demand an exact size.
 *
 * Format: a run of sequences. Each starts with a token whose high nibble is the literal
 * length and low nibble the match length − 4 (15 in either means "more length bytes follow,
 * each added, until one is below 255"), then the literals, then a 2-byte little-endian match
 * offset and the match's extra length bytes. The last sequence has literals only.
 */

export class Lz4FormatError extends Error {
  override name = "Lz4FormatError";
}

/** Runs shorter than this are copied in a loop rather than through set/copyWithin. */
const shortCopy = 32;

/** Decodes `source` into `target`; returns the number of bytes written. */
export function decodeLz4Block(source: Uint8Array, target: Uint8Array): number {
  const end = source.length;
  let input = 0;
  let output = 0;
  while (input < end) {
    const token = source[input++];
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let more = 255;
      while (more === 255) {
        if (input >= end) throw new Lz4FormatError("literal length runs past the end of the input");
        more = source[input++];
        literalLength += more;
      }
    }
    if (input + literalLength > end) throw new Lz4FormatError("literals run past the end of the input");
    if (output + literalLength > target.length) throw new Lz4FormatError("literals run past the expected size");
    // Short runs (most of them in noisy image data) byte by byte: a subarray per run costs more.
    if (literalLength < shortCopy) {
      for (let i = 0; i < literalLength; i++) target[output + i] = source[input + i];
    } else {
      target.set(source.subarray(input, input + literalLength), output);
    }
    input += literalLength;
    output += literalLength;
    if (input === end) break; // the last sequence carries literals only

    if (input + 2 > end) throw new Lz4FormatError("match offset runs past the end of the input");
    const offset = source[input] | (source[input + 1] << 8);
    input += 2;
    if (offset === 0 || offset > output) throw new Lz4FormatError(`match offset ${offset} points before the output`);
    let matchLength = (token & 15) + 4;
    if ((token & 15) === 15) {
      let more = 255;
      while (more === 255) {
        if (input >= end) throw new Lz4FormatError("match length runs past the end of the input");
        more = source[input++];
        matchLength += more;
      }
    }
    if (output + matchLength > target.length) throw new Lz4FormatError("match runs past the expected size");
    const from = output - offset;
    if (offset >= matchLength && matchLength >= shortCopy) {
      target.copyWithin(output, from, from + matchLength);
    } else {
      // A short match, or an overlapping one (a repeating pattern of period `offset`): byte by
      // byte, forwards, which repeats the pattern as LZ4 means it.
      for (let i = 0; i < matchLength; i++) target[output + i] = target[from + i];
    }
    output += matchLength;
  }
  return output;
}
