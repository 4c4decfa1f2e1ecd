/**
 * Buffers a thread reuses for the contiguous copy of a chunk it is about to encode, and for
 * the encoded frame that is written to the chunk's file.
 *
 * A write of a block that is not exactly one contiguous chunk (a piece of a grouped task's
 * result, an edge chunk to pad) copies it into a chunk-sized buffer first; the codecs read
 * that buffer and produce new bytes. A fresh buffer per chunk costs its allocation, zeroing
 * and first-touch page faults every time (128 buffers of 256 KiB per worker for the DoG at
 * 128×512×512), so the buffer goes back to this thread's pool once the chunk's bytes are
 * stored. A buffer is lent to one write at a time; several writes in flight take several.
 * The pool keeps a bounded number of bytes: larger or surplus buffers are left to the GC.
 *
 * The frame a chunk is encoded into (blosc-frame.ts) comes from the same pool and goes back
 * once its file is written (writeChunk, returnEncodedBytes). It was a copy of the frame at its
 * final size, new memory for every chunk: ~30 page faults per chunk of the DoG (32 per task at
 * 64×256×256, 128 at 128×512×512), and the only memory a later grouped task still faulted in.
 */
import { type DType, type TypedArray, dtypeInfo } from "../ndarray/dtype.js";
import { allocate } from "../ndarray/ndarray.js";

/** The most bytes this thread keeps for reuse, and the largest buffer it keeps. */
const keptBytes = 8 * 2 ** 20;
const largestKept = 4 * 2 ** 20;

const free = new Map<number, ArrayBuffer[]>();
let freeBytes = 0;

/** Lets every kept buffer go (a worker asked its threads to give memory back). */
export function releaseChunkBuffers(): void {
  free.clear();
  freeBytes = 0;
}

/** Bytes this thread keeps for reuse. */
export function keptChunkBufferBytes(): number {
  return freeBytes;
}

/** A buffer of `size` elements of `dtype`, its contents undefined (the caller overwrites all of it). */
export function borrowChunkBuffer(dtype: DType, size: number): TypedArray {
  const info = dtypeInfo(dtype);
  const bytes = size * info.itemsize;
  const buffer = free.get(bytes)?.pop();
  if (!buffer) return allocate(dtype, size, false);
  freeBytes -= bytes;
  return new info.array(buffer, 0, size * info.lanes) as TypedArray;
}

/** Gives a borrowed buffer back; the caller must not touch it (or views of it) afterwards. */
export function returnChunkBuffer(data: TypedArray): void {
  const buffer = data.buffer;
  const bytes = buffer.byteLength;
  if (!(buffer instanceof ArrayBuffer) || data.byteOffset !== 0 || data.byteLength !== bytes) return;
  if (bytes > largestKept || freeBytes + bytes > keptBytes) return;
  const list = free.get(bytes) ?? [];
  list.push(buffer);
  free.set(bytes, list);
  freeBytes += bytes;
}

/** Frame buffers lent by borrowFrameBuffer and not yet given back (weak: one never returned is garbage as usual). */
const lentFrames = new WeakSet<ArrayBufferLike>();

/**
 * A buffer of `bytes` for an encoder to build a frame in (contents undefined); the encoder
 * returns a view of its start, which the writer gives back with returnEncodedBytes once the
 * bytes are stored. A view never given back (another caller of the encoder) is left to the GC.
 */
export function borrowFrameBuffer(bytes: number): Uint8Array {
  const frame = borrowChunkBuffer("uint8", bytes) as Uint8Array;
  lentFrames.add(frame.buffer);
  return frame;
}

/**
 * Gives back the frame buffer under `bytes` (a view borrowFrameBuffer's buffer starts), if it
 * is one; else nothing. The caller must not touch `bytes` afterwards.
 */
export function returnEncodedBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer;
  if (!(buffer instanceof ArrayBuffer) || !lentFrames.has(buffer)) return;
  lentFrames.delete(buffer);
  returnChunkBuffer(new Uint8Array(buffer));
}
