/**
 * The compressors Blosc runs on each stream of a block, by Blosc's compressor names.
 *
 * Decoding is strict everywhere: a stream must decode to exactly the bytes the frame
 * promises. Encoding reproduces what c-blosc 1.21 puts in a stream: LZ4 block format (our
 * encoder of LZ4's fast mode, lz4-encode.ts), zlib format (node:zlib), a zstd frame
 * (numcodecs zstd), or BloscLZ (our encoder). "lz4hc" streams are LZ4 blocks too; we encode
 * them with LZ4's fast mode, since no LZ4-HC encoder ships in JavaScript.
 */
import { deflateSync, inflateSync } from "node:zlib";
import { decodeBloscLz, encodeBloscLz } from "./blosclz-block.js";
import { decodeLz4Block } from "./lz4-block.js";
import { encodeLz4Block, encodeLz4BlockInto, lz4Bound } from "./lz4-encode.js";

export type BloscCompressorName = "blosclz" | "lz4" | "lz4hc" | "zlib" | "zstd";

export const bloscCompressorNames: readonly BloscCompressorName[] = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];

/** The 3-bit compressor format stored in the frame's flags (lz4 and lz4hc share one). */
export const bloscFormatCode: Record<BloscCompressorName, number> = { blosclz: 0, lz4: 1, lz4hc: 1, zlib: 3, zstd: 4 };

export const bloscFormatNames: Record<number, string> = { 0: "blosclz", 1: "lz4", 2: "snappy", 3: "zlib", 4: "zstd" };

interface WasmCodec {
  encode(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  decode(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

// numcodecs' zstd WebAssembly module is loaded on first use, once per thread.
let zstdModule: Promise<{ fromConfig(config: { id: string; level?: number }): WasmCodec }> | undefined;

function zstdCodec(level: number): Promise<WasmCodec> {
  zstdModule ??= import("numcodecs/zstd").then((module) => module.default);
  return zstdModule.then((Zstd) => Zstd.fromConfig({ id: "zstd", level }));
}

/** Blosc's mapping of its clevel 1..9 to zstd levels (c-blosc zstd_wrap_compress). */
function zstdLevel(clevel: number): number {
  if (clevel >= 9) return 22;
  if (clevel === 8) return 20;
  return clevel * 2 - 1;
}

/** c-blosc drives LZ4 with acceleration 10 − clevel (lz4hc streams are encoded with LZ4's fast mode at 1 here). */
export function lz4Acceleration(name: BloscCompressorName, clevel: number): number {
  return name === "lz4" ? Math.max(1, 10 - clevel) : 1;
}

/**
 * Compresses one stream. Returns undefined when the result would not be smaller than the
 * input: Blosc then stores the stream raw.
 */
export async function compressStream(name: BloscCompressorName, clevel: number, input: Uint8Array): Promise<Uint8Array | undefined> {
  let output: Uint8Array | undefined;
  switch (name) {
    case "blosclz":
      output = encodeBloscLz(input);
      break;
    case "lz4":
    case "lz4hc":
      output = encodeLz4Block(input, lz4Acceleration(name, clevel));
      break;
    case "zlib":
      output = deflateSync(input, { level: clevel });
      break;
    case "zstd":
      output = await (await zstdCodec(zstdLevel(clevel))).encode(input);
      break;
  }
  return output !== undefined && output.length < input.length ? output : undefined;
}

/** The compressors whose streams compressStreamInto writes synchronously (all but zstd's WebAssembly module). */
export function compressesSynchronously(name: BloscCompressorName): boolean {
  return name !== "zstd";
}

/** The room compressStreamInto needs at its target for a stream of `length` bytes. */
export function streamRoom(length: number): number {
  return Math.max(lz4Bound(length), length);
}

/**
 * compressStream for the synchronous compressors, writing the stream at `target[at…]` (which
 * has streamRoom(input.length) bytes from there) instead of into a new buffer; returns its
 * length, or undefined when it would not be smaller than the input (Blosc stores it raw).
 */
export function compressStreamInto(name: BloscCompressorName, clevel: number, input: Uint8Array, target: Uint8Array, at: number): number | undefined {
  let output: Uint8Array | undefined;
  switch (name) {
    case "lz4":
    case "lz4hc": {
      const length = encodeLz4BlockInto(input, target.subarray(at, at + lz4Bound(input.length)), lz4Acceleration(name, clevel));
      return length < input.length ? length : undefined;
    }
    case "blosclz":
      output = encodeBloscLz(input);
      break;
    case "zlib":
      output = deflateSync(input, { level: clevel });
      break;
    default:
      throw new Error(`Blosc compressor ${name} does not compress synchronously; use compressStream`);
  }
  if (output === undefined || output.length >= input.length) return undefined;
  target.set(output, at);
  return output.length;
}

/** Decompresses one stream into `target`, which it must fill exactly. Throws otherwise. */
export async function decompressStream(formatCode: number, input: Uint8Array, target: Uint8Array): Promise<void> {
  let written: number;
  switch (formatCode) {
    case 0:
      written = decodeBloscLz(input, target);
      break;
    case 1:
      written = decodeLz4Block(input, target);
      break;
    case 3: {
      const output = inflateSync(input);
      if (output.length !== target.length) throw new Error(`zlib stream decoded to ${output.length} bytes, expected ${target.length}`);
      target.set(output);
      written = output.length;
      break;
    }
    case 4: {
      const output = await (await zstdCodec(1)).decode(input);
      if (output.length !== target.length) throw new Error(`zstd stream decoded to ${output.length} bytes, expected ${target.length}`);
      target.set(output);
      written = output.length;
      break;
    }
    default:
      throw new Error(`Blosc compressor format ${bloscFormatNames[formatCode] ?? formatCode} is not supported; recompress with lz4, zstd, zlib or blosclz`);
  }
  if (written !== target.length) throw new Error(`${bloscFormatNames[formatCode]} stream decoded to ${written} bytes, expected ${target.length}`);
}
