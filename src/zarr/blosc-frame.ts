/**
 * Blosc 1.x frames ("chunks" in Blosc's words), written and read in TypeScript.
 *
 * Why not numcodecs' Blosc WebAssembly build: its encoder hard-codes typesize 4 (worse
 * compression for 1-, 2- and 8-byte data) and its decoder ignores c-blosc's return code, so
 * a corrupt chunk decodes to garbage. Here the frame is ours; only the per-stream
 * compressors come from elsewhere (blosc-streams.ts).
 *
 * Layout (little-endian):
 *   0  version (2)          1  compressor format version (1)
 *   2  flags: bit 0 byte shuffle, bit 1 stored raw ("memcpyed"), bit 2 bit shuffle,
 *      bit 4 blocks not split into streams, bits 5-7 compressor format
 *   3  typesize             4  nbytes (uncompressed)   8  blocksize   12 cbytes (whole frame)
 *   16 one int32 offset per block, then the blocks. A block is shuffled (whole block), then
 *      split into `typesize` streams of equal length or kept as one, and each stream is
 *      stored as int32 length + bytes; a length equal to the stream's size means "raw".
 * A raw frame is the 16-byte header followed by the data.
 *
 * The encoder follows c-blosc 1.21's choices (block size from clevel and typesize, the
 * "forward compatible" split rule) so that every c-blosc release reads the result.
 */
import { newSharedBuffer } from "../ndarray/allocation-ledger.js";
import { borrowFrameBuffer, returnEncodedBytes } from "./chunk-scratch.js";
import { bitShuffle, bitUnshuffle, byteShuffle, byteUnshuffle } from "./shuffle.js";
import {
  type BloscCompressorName, bloscFormatCode, bloscFormatNames, compressStream, compressStreamInto, compressesSynchronously, decompressStream, lz4Acceleration, streamRoom,
} from "./blosc-streams.js";
import { bloscWasmCodec, bloscWasmCodecBytes, releaseBloscWasmCodec, settleBloscWasmCodec } from "./wasm/blosc-codec.js";

export type BloscShuffle = "noshuffle" | "shuffle" | "bitshuffle";

export interface BloscFrameOptions {
  cname: BloscCompressorName;
  clevel: number;
  shuffle: BloscShuffle;
  typesize: number;
  /** 0 = automatic, as c-blosc chooses. */
  blocksize: number;
}

const headerBytes = 16;
const flagByteShuffle = 0x01;
const flagRaw = 0x02;
const flagBitShuffle = 0x04;
const flagReserved = 0x08;
const flagNoSplit = 0x10;
const maxSplits = 16;
const minBufferSize = 128;
const maxTypesize = 255;
const maxBufferSize = 2 ** 31 - 1 - headerBytes;
const level1Cache = 32 * 1024;

export class BloscFrameError extends Error {
  override name = "BloscFrameError";
}

const highCompressionRatio = (cname: BloscCompressorName) => cname === "lz4hc" || cname === "zlib" || cname === "zstd";

/** c-blosc's FORWARD_COMPAT split rule: split every codec but zstd when streams are long enough. */
function splitsBlocks(cname: BloscCompressorName, typesize: number, blocksize: number): boolean {
  return cname !== "zstd" && typesize <= maxSplits && blocksize / typesize >= minBufferSize;
}

/** c-blosc 1.21's compute_blocksize. */
function chooseBlocksize(options: BloscFrameOptions, typesize: number, nbytes: number): number {
  if (nbytes < typesize) return 1;
  let blocksize = nbytes;
  if (options.blocksize > 0) {
    blocksize = Math.min(Math.max(options.blocksize, minBufferSize), 2 ** 31 - 1);
  } else if (nbytes >= level1Cache) {
    blocksize = level1Cache;
    if (highCompressionRatio(options.cname)) blocksize *= 2;
    const factor = [0.25, 0.5, 1, 2, 4, 4, 8, 8, 8, 8][options.clevel];
    blocksize *= factor;
    if (options.clevel === 9 && highCompressionRatio(options.cname)) blocksize *= 2;
  }
  if (options.clevel > 0 && splitsBlocks(options.cname, typesize, blocksize)) {
    blocksize = Math.min(blocksize, 1 << 18) * typesize;
    blocksize = Math.min(Math.max(blocksize, 1 << 16), 1 << 20);
  }
  blocksize = Math.min(blocksize, nbytes);
  if (blocksize > typesize) blocksize = Math.floor(blocksize / typesize) * typesize;
  return blocksize;
}

function rawFrame(data: Uint8Array, flags: number, typesize: number, formatVersion: number): Uint8Array {
  const frame = new Uint8Array(headerBytes + data.length);
  writeHeader(frame, flags | flagRaw, typesize, data.length, data.length, frame.length, formatVersion);
  frame.set(data, headerBytes);
  return frame;
}

function writeHeader(frame: Uint8Array, flags: number, typesize: number, nbytes: number, blocksize: number, cbytes: number, formatVersion: number): void {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  frame[0] = 2;
  frame[1] = formatVersion;
  frame[2] = flags;
  frame[3] = typesize;
  view.setInt32(4, nbytes, true);
  view.setInt32(8, blocksize, true);
  view.setInt32(12, cbytes, true);
}

export async function encodeBloscFrame(data: Uint8Array, options: BloscFrameOptions): Promise<Uint8Array> {
  if (data.length > maxBufferSize) {
    throw new BloscFrameError(`a Blosc chunk holds at most ${maxBufferSize} bytes, this one has ${data.length}; use smaller chunks`);
  }
  // Checked here as well as by its callers (BloscCodec, the compressor spec): a level outside
  // 0–9 would otherwise reach the stream encoders, which read it as something else.
  if (!Number.isInteger(options.clevel) || options.clevel < 0 || options.clevel > 9) {
    throw new BloscFrameError(`Blosc clevel ${options.clevel} must be an integer from 0 to 9`);
  }
  const typesize = options.typesize > maxTypesize || options.typesize < 1 ? 1 : options.typesize;
  const nbytes = data.length;
  const blocksize = chooseBlocksize(options, typesize, nbytes);
  const split = splitsBlocks(options.cname, typesize, blocksize);
  let flags = (bloscFormatCode[options.cname] << 5) | (split ? 0 : flagNoSplit);
  if (options.shuffle === "shuffle") flags |= flagByteShuffle;
  if (options.shuffle === "bitshuffle") flags |= flagBitShuffle;
  const formatVersion = 1;
  if (options.clevel === 0 || nbytes < minBufferSize) return rawFrame(data, flags, typesize, formatVersion);

  const blockCount = Math.ceil(nbytes / blocksize);
  const layout = { flags, typesize, nbytes, blocksize, split, formatVersion };
  if (compressesSynchronously(options.cname)) return encodeFrameInPlace(data, options, layout);
  const parts: Uint8Array[] = [];
  const offsets = new Int32Array(blockCount);
  let size = headerBytes + 4 * blockCount;
  const shuffled = new Uint8Array(blocksize);
  for (let block = 0; block < blockCount; block++) {
    offsets[block] = size;
    const start = block * blocksize;
    const source = data.subarray(start, Math.min(start + blocksize, nbytes));
    const isLeftover = source.length < blocksize;
    const filtered = shuffleBlock(source, shuffled, options.shuffle, typesize);
    const streams = split && !isLeftover ? typesize : 1;
    const streamLength = filtered.length / streams;
    for (let stream = 0; stream < streams; stream++) {
      const raw = filtered.subarray(stream * streamLength, (stream + 1) * streamLength);
      const compressed = await compressStream(options.cname, options.clevel, raw);
      const stored = compressed ?? raw.slice();
      const length = new Uint8Array(4);
      new DataView(length.buffer).setInt32(0, stored.length, true);
      parts.push(length, stored);
      size += 4 + stored.length;
    }
    // c-blosc gives up and stores the whole buffer raw once it cannot fit in nbytes + 16.
    if (size > nbytes + headerBytes) return rawFrame(data, flags, typesize, formatVersion);
  }
  const frame = new Uint8Array(size);
  writeHeader(frame, flags, typesize, nbytes, blocksize, size, formatVersion);
  frame.set(new Uint8Array(offsets.buffer), headerBytes);
  let at = headerBytes + 4 * blockCount;
  for (const part of parts) {
    frame.set(part, at);
    at += part.length;
  }
  return frame;
}

/**
 * The shuffle scratch of this thread for frames built synchronously, kept between calls up to
 * this size (a block's worth for the usual block sizes); larger ones are allocated per call.
 * A frame is built from start to end without an await, so concurrent encodes of the same
 * thread never share it. The frames themselves are lent by chunk-scratch.ts.
 */
const keptScratchBytes = 4 * 2 ** 20;
let shuffleScratch: Uint8Array = new Uint8Array(0);

/**
 * Lets the kept shuffle scratch and the WebAssembly codec's memory go (a worker asked its
 * threads to give memory back). The codec's memory cannot shrink, so the instance itself goes;
 * the next frame creates a fresh one from the compiled module.
 */
export function releaseFrameScratch(): void {
  shuffleScratch = new Uint8Array(0);
  releaseBloscWasmCodec();
}

/** Bytes this thread keeps for building and reading frames (besides the frames chunk-scratch.ts keeps). */
export function frameScratchBytes(): number {
  return shuffleScratch.byteLength + bloscWasmCodecBytes();
}

/** A block as its streams are cut from: shuffled into `scratch` when the filter asks, else itself. */
function shuffleBlock(source: Uint8Array, scratch: Uint8Array, shuffle: BloscShuffle, typesize: number): Uint8Array {
  if (shuffle === "shuffle" && typesize > 1) {
    const filtered = scratch.subarray(0, source.length);
    byteShuffle(source, filtered, typesize);
    return filtered;
  }
  if (shuffle === "bitshuffle" && source.length >= typesize) {
    const filtered = scratch.subarray(0, source.length);
    bitShuffle(source, filtered, typesize);
    return filtered;
  }
  return source;
}

function scratchOf(kept: Uint8Array, bytes: number): Uint8Array {
  return kept.length >= bytes ? kept : new Uint8Array(bytes);
}

/**
 * encodeBloscFrame for the synchronous compressors: every stream is compressed straight into
 * one frame buffer, instead of a buffer per stream, a copy of each, and the frame. The buffer
 * is lent by this thread's write pool (chunk-scratch.ts borrowFrameBuffer), sized for the
 * worst case: the frame is a view of its start, and goes back to the pool once the writer has
 * stored it (returnEncodedBytes).
 */
function encodeFrameInPlace(
  data: Uint8Array,
  options: BloscFrameOptions,
  layout: { flags: number; typesize: number; nbytes: number; blocksize: number; split: boolean; formatVersion: number },
): Uint8Array {
  const { flags, typesize, nbytes, blocksize, split, formatVersion } = layout;
  const blockCount = Math.ceil(nbytes / blocksize);
  let room = headerBytes + 4 * blockCount;
  for (let block = 0; block < blockCount; block++) {
    const length = Math.min(blocksize, nbytes - block * blocksize);
    const streams = split && length === blocksize ? typesize : 1;
    room += streams * (4 + streamRoom(length / streams));
  }
  const frame = borrowFrameBuffer(room);
  // LZ4 and byte shuffle in WebAssembly where it runs (the same bytes): the filtered block is a
  // view of its memory, read by the stream compressor before anything else runs on this thread.
  const lz4 = options.cname === "lz4" || options.cname === "lz4hc";
  const codec = options.shuffle !== "bitshuffle" && (lz4 || (options.shuffle === "shuffle" && typesize > 1)) ? bloscWasmCodec(blocksize) : null;
  const shuffled = scratchOf(shuffleScratch, options.shuffle === "noshuffle" || codec !== null ? 0 : blocksize);
  if (shuffled.length <= keptScratchBytes) shuffleScratch = shuffled;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let size = headerBytes + 4 * blockCount;
  try {
    for (let block = 0; block < blockCount; block++) {
      view.setInt32(headerBytes + 4 * block, size, true);
      const start = block * blocksize;
      const source = data.subarray(start, Math.min(start + blocksize, nbytes));
      const isLeftover = source.length < blocksize;
      const filtered = codec !== null ? codec.filterBlock(source, options.shuffle === "shuffle" ? typesize : 1) : shuffleBlock(source, shuffled, options.shuffle, typesize);
      const streams = split && !isLeftover ? typesize : 1;
      const streamLength = filtered.length / streams;
      for (let stream = 0; stream < streams; stream++) {
        const raw = filtered.subarray(stream * streamLength, (stream + 1) * streamLength);
        const compressed = codec !== null && lz4
          ? codec.compressLz4Into(stream * streamLength, streamLength, lz4Acceleration(options.cname, options.clevel), frame, size + 4)
          : compressStreamInto(options.cname, options.clevel, raw, frame, size + 4);
        const stored = compressed ?? raw.length;
        if (compressed === undefined) frame.set(raw, size + 4);
        view.setInt32(size, stored, true);
        size += 4 + stored;
      }
      // c-blosc gives up and stores the whole buffer raw once it cannot fit in nbytes + 16.
      if (size > nbytes + headerBytes) {
        returnEncodedBytes(frame);
        return rawFrame(data, flags, typesize, formatVersion);
      }
    }
  } finally {
    // Also when a compressor throws mid-frame: an instance grown past its cap must not stay.
    if (codec !== null) settleBloscWasmCodec();
  }
  writeHeader(frame, flags, typesize, nbytes, blocksize, size, formatVersion);
  return frame.subarray(0, size);
}

export interface BloscHeader {
  flags: number;
  typesize: number;
  nbytes: number;
  blocksize: number;
  cbytes: number;
  compressor: string;
}

export function readBloscHeader(frame: Uint8Array): BloscHeader {
  if (frame.length < headerBytes) throw new BloscFrameError(`a Blosc chunk needs a 16-byte header, this one has ${frame.length} bytes`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const header = {
    flags: frame[2],
    typesize: frame[3],
    nbytes: view.getInt32(4, true),
    blocksize: view.getInt32(8, true),
    cbytes: view.getInt32(12, true),
    compressor: bloscFormatNames[frame[2] >>> 5] ?? `format ${frame[2] >>> 5}`,
  };
  if (frame[0] !== 2 && frame[0] !== 1) throw new BloscFrameError(`Blosc format version ${frame[0]} is not Blosc 1.x`);
  if (header.flags & flagReserved) throw new BloscFrameError("Blosc flags use a reserved bit");
  if (header.cbytes !== frame.length) {
    throw new BloscFrameError(`the Blosc header says ${header.cbytes} bytes but the chunk has ${frame.length} (truncated or corrupt)`);
  }
  if (header.nbytes < 0 || header.typesize === 0 || (header.nbytes > 0 && header.blocksize <= 0)) {
    throw new BloscFrameError(`the Blosc header is invalid (nbytes ${header.nbytes}, blocksize ${header.blocksize}, typesize ${header.typesize})`);
  }
  return header;
}

/**
 * Decodes a frame, refusing any that is not exactly `expectedBytes` long once decoded (when
 * given) or whose structure does not add up. The output is SharedArrayBuffer-backed so that
 * a decoded chunk can go to other threads without a copy.
 */
export async function decodeBloscFrame(frame: Uint8Array, expectedBytes?: number): Promise<Uint8Array> {
  const header = readBloscHeader(frame);
  const { flags, typesize, nbytes, blocksize } = header;
  if (expectedBytes !== undefined && nbytes !== expectedBytes) {
    throw new BloscFrameError(`the Blosc chunk holds ${nbytes} bytes, the array expects ${expectedBytes}`);
  }
  const output = new Uint8Array(newSharedBuffer(nbytes));
  if (nbytes === 0) return output;
  if (flags & flagRaw) {
    if (frame.length !== nbytes + headerBytes) throw new BloscFrameError("a raw Blosc chunk must be its header plus nbytes");
    output.set(frame.subarray(headerBytes));
    return output;
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const blockCount = Math.ceil(nbytes / blocksize);
  const dataStart = headerBytes + 4 * blockCount;
  if (dataStart > frame.length) throw new BloscFrameError(`the Blosc chunk is too short for its ${blockCount} block offsets`);
  const formatCode = flags >>> 5;
  const noSplit = (flags & flagNoSplit) !== 0;
  const byteShuffled = (flags & flagByteShuffle) !== 0 && typesize > 1;
  const bitShuffled = (flags & flagBitShuffle) !== 0;
  // LZ4 frames without bit shuffle decode in WebAssembly where it runs (the same checks, the
  // same errors); without an await in between, so the codec's memory is this frame's throughout.
  const codec = formatCode === 1 && !bitShuffled ? bloscWasmCodec(Math.min(blocksize, nbytes)) : null;
  const scratch = new Uint8Array(codec === null ? Math.min(blocksize, nbytes) : 0);
  try {
    for (let block = 0; block < blockCount; block++) {
      const start = block * blocksize;
      const target = output.subarray(start, Math.min(start + blocksize, nbytes));
      const isLeftover = target.length < blocksize;
      const doBitShuffle = bitShuffled && target.length >= typesize;
      const filtered = codec === null && (byteShuffled || doBitShuffle) ? scratch.subarray(0, target.length) : target;
      // The split rule c-blosc's decoder applies, including frames written before the flag.
      const streams = !noSplit && typesize <= maxSplits && blocksize / typesize >= minBufferSize && !isLeftover ? typesize : 1;
      if (target.length % streams !== 0) throw new BloscFrameError(`block ${block} of ${target.length} bytes cannot split into ${streams} streams`);
      const streamLength = target.length / streams;
      let at = view.getInt32(headerBytes + 4 * block, true);
      if (at < dataStart || at > frame.length) throw new BloscFrameError(`block ${block} starts at ${at}, outside the chunk`);
      codec?.beginBlock(target.length);
      for (let stream = 0; stream < streams; stream++) {
        if (at + 4 > frame.length) throw new BloscFrameError(`block ${block} runs past the end of the chunk`);
        const length = view.getInt32(at, true);
        at += 4;
        if (length < 0 || at + length > frame.length) throw new BloscFrameError(`block ${block} stream ${stream} runs past the end of the chunk`);
        const input = frame.subarray(at, at + length);
        at += length;
        if (codec !== null) {
          if (length === streamLength) codec.copyStream(input, stream * streamLength);
          else codec.decodeLz4Stream(input, stream * streamLength, streamLength);
          continue;
        }
        const streamTarget = filtered.subarray(stream * streamLength, (stream + 1) * streamLength);
        if (length === streamLength) streamTarget.set(input);
        else await decompressStream(formatCode, input, streamTarget);
      }
      if (codec !== null) codec.finishBlock(target, byteShuffled ? typesize : 1);
      else if (byteShuffled) byteUnshuffle(filtered, target, typesize);
      else if (doBitShuffle) bitUnshuffle(filtered, target, typesize);
    }
  } finally {
    // A refused frame too: its block may have grown the instance past its cap.
    if (codec !== null) settleBloscWasmCodec();
  }
  return output;
}

/** "blosc(lz4, clevel=5, shuffle)" style summary of options, for people. */
export function describeBlosc(options: Pick<BloscFrameOptions, "cname" | "clevel" | "shuffle">): string {
  return `blosc(${options.cname}, clevel=${options.clevel}, ${options.shuffle})`;
}
