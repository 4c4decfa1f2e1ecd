/**
 * This thread's instance of blosc-codec.wat (LZ4 block decoding and encoding, byte shuffle and
 * unshuffle with SIMD), created on first use: each worker thread has its own, with its own linear memory.
 *
 * Memory holds one Blosc block at a time, laid out after the LZ4 encoder's hash table (16 KiB) as
 *   [0, room)          the block's streams decoded (or, encoding, the block as given)
 *   [room, 2·room)     the block unshuffled (or, encoding, shuffled)
 *   [2·room, …)        the compressed stream being decoded (or, encoding, the one encoded)
 * with room = the block's bytes rounded up plus slack for the 16-byte copies to overrun. It grows
 * to the largest block seen; WebAssembly memory cannot shrink, so an instance whose memory passed
 * keptCodecBytes is dropped after its frame, whether the frame decoded or was refused (the next
 * frame instantiates a fresh one, which costs microseconds: the compiled module is kept), and
 * releaseBloscWasmCodec drops it outright. Blocks past maxCodecBlockBytes are left to the
 * JavaScript paths, so a header's blocksize cannot make the memory grow huge, or past what
 * memory.grow allows (4 GiB: a 2 GiB block needs twice that), before its streams are read.
 *
 * Nothing here awaits: a block is copied in, worked on and copied out in one synchronous run, so
 * two frames of one thread never share the memory's contents.
 */
import { Lz4FormatError } from "../lz4-block.js";
import { lz4Bound } from "../lz4-encode.js";
import { bloscCodecWasmBase64 } from "./blosc-codec-binary.js";

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
}

interface CodecExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  lz4_decode(src: number, srcLength: number, dst: number, dstLength: number): number;
  error_offset(): number;
  shuffle(src: number, dst: number, length: number, typesize: number): void;
  unshuffle(src: number, dst: number, length: number, typesize: number): void;
  lz4_encode(src: number, length: number, dst: number, acceleration: number, table: number): number;
}

const pageBytes = 65536;
/** The LZ4 encoder's hash table (4096 int32 positions) at the start of memory; the regions follow. */
const tableBytes = 16384;
/** Room past every region for copies that move 16 or 32 bytes at a time (the WAT's contract). */
const slackBytes = 64;
/** An instance whose memory grew past this is dropped once its frame is done (c-blosc's blocks stay far below). */
export const keptCodecBytes = 8 * 2 ** 20;
/**
 * The largest block the module takes (c-blosc's automatic blocks stay at or below 1 MiB; only an
 * explicit blocksize goes past). Its memory then stays below 2 × this plus the frame's stream.
 */
export const maxCodecBlockBytes = 16 * 2 ** 20;

/** The messages of lz4-block.ts's decoder, by the module's negative status. */
const lz4Errors: Record<number, (offset: number) => string> = {
  [-1]: () => "literal length runs past the end of the input",
  [-2]: () => "literals run past the end of the input",
  [-3]: () => "literals run past the expected size",
  [-4]: () => "match offset runs past the end of the input",
  [-5]: (offset) => `match offset ${offset} points before the output`,
  [-6]: () => "match length runs past the end of the input",
  [-7]: () => "match runs past the expected size",
};

function roomFor(bytes: number): number {
  return Math.ceil(bytes / 16) * 16 + slackBytes;
}

export class BloscWasmCodec {
  readonly #exports: CodecExports;
  #room = 0;
  /** Where the block being encoded sits, filtered (shuffled or as given). */
  #filtered = 0;

  constructor(exports: CodecExports) {
    this.#exports = exports;
  }

  /** Bytes of linear memory this instance holds. */
  get memoryBytes(): number {
    return this.#exports.memory.buffer.byteLength;
  }

  #reserve(bytes: number): ArrayBuffer {
    const memory = this.#exports.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / pageBytes));
    return memory.buffer;
  }

  /** Starts decoding a block of `blockBytes`: its streams then land at their place in it. */
  beginBlock(blockBytes: number): void {
    this.#room = roomFor(blockBytes);
    this.#reserve(tableBytes + 2 * this.#room);
  }

  /** A raw stream, copied to `at` in the block. */
  copyStream(input: Uint8Array, at: number): void {
    new Uint8Array(this.#exports.memory.buffer).set(input, tableBytes + at);
  }

  /** An LZ4 stream, decoded to `at` in the block; it must decode to exactly `length` bytes. */
  decodeLz4Stream(input: Uint8Array, at: number, length: number): void {
    const source = tableBytes + 2 * this.#room;
    new Uint8Array(this.#reserve(source + roomFor(input.length))).set(input, source);
    const written = this.#exports.lz4_decode(source, input.length, tableBytes + at, length);
    if (written < 0) throw new Lz4FormatError(lz4Errors[written](this.#exports.error_offset()));
    if (written !== length) throw new Error(`lz4 stream decoded to ${written} bytes, expected ${length}`);
  }

  /** Copies the block out to `target` (its length is the block's), unshuffled when typesize > 1. */
  finishBlock(target: Uint8Array, typesize: number): void {
    let from = tableBytes;
    if (typesize > 1) {
      from = tableBytes + this.#room;
      this.#exports.unshuffle(tableBytes, from, target.length, typesize);
    }
    target.set(new Uint8Array(this.#exports.memory.buffer, from, target.length));
  }

  /**
   * Starts encoding a block: copies it in and byte-shuffles it when typesize > 1. Returns the
   * filtered block as a view of this instance's memory, valid until the next call on this codec
   * (the caller compresses its streams before anything else runs on this thread).
   */
  filterBlock(source: Uint8Array, typesize: number): Uint8Array {
    this.#room = roomFor(source.length);
    const memory = new Uint8Array(this.#reserve(tableBytes + 2 * this.#room + roomFor(lz4Bound(source.length))));
    memory.set(source, tableBytes);
    this.#filtered = tableBytes;
    if (typesize > 1) {
      this.#filtered = tableBytes + this.#room;
      this.#exports.shuffle(tableBytes, this.#filtered, source.length, typesize);
    }
    return memory.subarray(this.#filtered, this.#filtered + source.length);
  }

  /**
   * LZ4-encodes `length` bytes from `at` in the filtered block (encodeLz4BlockInto's bytes) and
   * writes them to `target[targetAt…]`; returns their length, or undefined when they would not
   * be smaller than the stream (Blosc stores it raw, and nothing is written).
   */
  compressLz4Into(at: number, length: number, acceleration: number, target: Uint8Array, targetAt: number): number | undefined {
    // A NaN or zero step would never move the search forward: refuse as encodeLz4BlockInto does.
    if (!Number.isFinite(acceleration) || acceleration < 1) throw new RangeError(`LZ4 acceleration must be a finite number ≥ 1, got ${acceleration}`);
    const output = tableBytes + 2 * this.#room;
    const written = this.#exports.lz4_encode(this.#filtered + at, length, output, Math.max(1, Math.floor(acceleration)), 0);
    if (written >= length) return undefined;
    target.set(new Uint8Array(this.#exports.memory.buffer, output, written), targetAt);
    return written;
  }

  /** Runs the module's byte unshuffle on its own (for tests and benches). */
  unshuffle(source: Uint8Array, target: Uint8Array, typesize: number): void {
    const room = roomFor(source.length);
    const memory = new Uint8Array(this.#reserve(tableBytes + 2 * room));
    memory.set(source, tableBytes);
    this.#exports.unshuffle(tableBytes, tableBytes + room, source.length, typesize);
    target.set(memory.subarray(tableBytes + room, tableBytes + room + source.length));
  }
}

let compiled: object | null | undefined;
let instance: BloscWasmCodec | undefined;
let enabled = true;

function compile(): object | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return null;
  const bytes = Uint8Array.from(atob(bloscCodecWasmBase64), (c) => c.charCodeAt(0));
  if (!api.validate(bytes)) return null; // no SIMD support
  return new api.Module(bytes);
}

/** Whether this runtime can run the module (WebAssembly with SIMD), whatever setBloscWasmEnabled says. */
export function isBloscWasmAvailable(): boolean {
  compiled ??= compile();
  return compiled !== null;
}

/**
 * This thread's codec for blocks of `blockBytes`, or null where WebAssembly SIMD is missing, the
 * JavaScript paths are forced or the block is larger than maxCodecBlockBytes.
 */
export function bloscWasmCodec(blockBytes = 0): BloscWasmCodec | null {
  if (!enabled || blockBytes > maxCodecBlockBytes || !isBloscWasmAvailable()) return null;
  if (instance === undefined) {
    const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly!;
    instance = new BloscWasmCodec(new api.Instance(compiled!).exports as CodecExports);
  }
  return instance;
}

/** After a frame, refused or not: drops an instance whose memory grew past keptCodecBytes. */
export function settleBloscWasmCodec(): void {
  if (instance !== undefined && instance.memoryBytes > keptCodecBytes) instance = undefined;
}

/** Drops this thread's instance and its memory (a worker asked its threads to give memory back). */
export function releaseBloscWasmCodec(): void {
  instance = undefined;
}

/** Bytes this thread's instance holds (0 when it has none). */
export function bloscWasmCodecBytes(): number {
  return instance?.memoryBytes ?? 0;
}

/**
 * false: every frame runs the JavaScript paths, as where WebAssembly SIMD is missing (tests
 * compare the two; a bench measures both). Returns the previous setting.
 */
export function setBloscWasmEnabled(value: boolean): boolean {
  const previous = enabled;
  enabled = value;
  return previous;
}
