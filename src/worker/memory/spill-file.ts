/**
 * One spilled value as one file, in the same two parts as a message on the wire: the value's
 * payload tree (packPayload: small, msgpack'd) and its binary frames (chunk data, raw or
 * zlib-compressed):
 *
 *     "TSP2" | u32 LE header length | u32 LE CRC-32 of the header | msgpack header | frame bytes…
 *     header = { tree, frames: [{ bytes, stored, codec: "zlib" | null, shared, crc }] }
 *
 * Every frame carries the CRC-32 of its stored bytes, checked on reading: a spill file is
 * written once and read back minutes later, and a flipped bit in between (a failing disk,
 * bad memory in the page cache, another process writing into it) must not become a silently
 * wrong result. A file that is missing, truncated, unreadable or fails a check is a
 * `SpillFileError`: the data is gone, and the owner (data-store.ts) treats the key as lost.
 * CRC-32 (zlib's, in C) runs at several GB/s, a small fraction of the write itself (see
 * bench/spill-checksum.ts); it runs in slices with the event loop free in between, so a
 * large frame does not hold up heartbeats.
 *
 * Reading puts every frame into a buffer of its own, of the kind it came from
 * (SharedArrayBuffer for NDArray blocks, so compute threads use them without a copy), with
 * uncompressed frames read from the file straight into it.
 */
import { open } from "node:fs/promises";
import { setImmediate as nextTurn } from "node:timers/promises";
import { promisify } from "node:util";
import { crc32, deflateRaw, inflateRaw } from "node:zlib";
import { Packr } from "msgpackr";
import { TesseraError, errorMessage } from "../../core/errors.js";
import { packPayload, unpackPayload } from "../../protocol/payload.js";
import type { CompressionPolicy } from "./spill-compression.js";

const magic = 0x32505354; // "TSP2" read as u32 LE
const prefixBytes = 12;
const packr = new Packr({ useRecords: false, moreTypes: false });
const deflateAsync = promisify(deflateRaw);
const inflateAsync = promisify(inflateRaw);
/** Bytes checksummed between two turns of the event loop (a few milliseconds each). */
const checksumSliceBytes = 8 * 2 ** 20;

/** A spill file that cannot give its value back: missing, truncated, unreadable or corrupt. */
export class SpillFileError extends TesseraError {
  override name = "SpillFileError";
}

interface FrameEntry {
  bytes: number;
  stored: number;
  codec: "zlib" | null;
  shared: boolean;
  /** CRC-32 of the stored bytes. */
  crc: number;
}

export interface SpillWrite {
  /** Bytes the file takes on disk. */
  diskBytes: number;
  /** Seconds spent writing (compression and checksums excluded), for the disk-speed estimate. */
  writeSeconds: number;
  /** Seconds spent computing checksums. */
  checksumSeconds: number;
}

/** CRC-32 of `bytes`, letting the event loop run between slices of a large buffer. */
export async function checksumOf(bytes: Uint8Array): Promise<number> {
  let crc = 0;
  for (let start = 0; start < bytes.byteLength; start += checksumSliceBytes) {
    if (start > 0) await nextTurn();
    crc = crc32(bytes.subarray(start, start + checksumSliceBytes), crc);
  }
  return crc;
}

/** Writes `value` to `path` (which must not exist yet). */
export async function writeSpillFile(path: string, value: unknown, compression: CompressionPolicy): Promise<SpillWrite> {
  const frames: Uint8Array[] = [];
  const tree = packPayload(value, frames);
  const stored: Uint8Array[] = [];
  const entries: FrameEntry[] = [];
  let checksumSeconds = 0;
  for (const frame of frames) {
    const codec = compression.choose(frame);
    let bytes = frame;
    if (codec === "zlib") {
      const compressed = await deflateAsync(frame, { level: 1 });
      if (compressed.byteLength < frame.byteLength) bytes = compressed;
    }
    const checksumStart = performance.now();
    const crc = await checksumOf(bytes);
    checksumSeconds += (performance.now() - checksumStart) / 1000;
    stored.push(bytes);
    entries.push({ bytes: frame.byteLength, stored: bytes.byteLength, codec: bytes === frame ? null : "zlib", shared: frame.buffer instanceof SharedArrayBuffer, crc });
  }
  const header = packr.pack({ tree, frames: entries });
  const prefix = new Uint8Array(prefixBytes);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, magic, true);
  view.setUint32(4, header.byteLength, true);
  view.setUint32(8, crc32(header), true);
  const parts = [prefix, header, ...stored];
  const diskBytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const start = performance.now();
  const handle = await open(path, "wx");
  try {
    let written = 0;
    // writev may write less than asked; continue from where it stopped.
    while (written < diskBytes) {
      const result = await handle.writev(remainingParts(parts, written));
      if (result.bytesWritten === 0) throw new SpillFileError(`could not write ${path}: no progress`);
      written += result.bytesWritten;
    }
  } finally {
    await handle.close();
  }
  return { diskBytes, writeSeconds: (performance.now() - start) / 1000, checksumSeconds };
}

function remainingParts(parts: Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const part of parts) {
    if (skip >= part.byteLength) {
      skip -= part.byteLength;
      continue;
    }
    out.push(skip > 0 ? part.subarray(skip) : part);
    skip = 0;
  }
  return out;
}

type FileHandle = Awaited<ReturnType<typeof open>>;

/**
 * Reads a value written by writeSpillFile. Throws SpillFileError when the file cannot give
 * it back intact; other errors (no memory for the buffers) are not about the file.
 */
export async function readSpillFile(path: string): Promise<unknown> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new SpillFileError(`${path} cannot be opened (${codeOf(error)})`, { cause: error });
  }
  try {
    const prefix = await readExactly(handle, new Uint8Array(prefixBytes), 0, path);
    const view = new DataView(prefix.buffer);
    if (view.getUint32(0, true) !== magic) throw new SpillFileError(`${path} is not a tessera spill file (or its first bytes are damaged)`);
    const headerBytes = view.getUint32(4, true);
    const fileBytes = await sizeOf(handle, path);
    if (prefixBytes + headerBytes > fileBytes) throw truncated(path, fileBytes, prefixBytes + headerBytes);
    const header = await readExactly(handle, new Uint8Array(headerBytes), prefixBytes, path);
    if (crc32(header) !== view.getUint32(8, true)) throw new SpillFileError(`${path}: the header fails its checksum: the file is damaged`);
    const { tree, frames: entries } = decodeHeader(header, path);
    const expectedBytes = entries.reduce((sum, entry) => sum + entry.stored, prefixBytes + headerBytes);
    if (fileBytes < expectedBytes) throw truncated(path, fileBytes, expectedBytes);
    let position = prefixBytes + headerBytes;
    const frames: Uint8Array[] = [];
    for (const [index, entry] of entries.entries()) {
      const target = new Uint8Array(entry.shared ? new SharedArrayBuffer(entry.bytes) : new ArrayBuffer(entry.bytes));
      const stored = await readExactly(handle, entry.codec === null ? target : new Uint8Array(entry.stored), position, path);
      if ((await checksumOf(stored)) !== entry.crc) throw new SpillFileError(`${path}: frame ${index} fails its checksum: the file is damaged`);
      if (entry.codec !== null) target.set(await inflate(stored, entry.bytes, path));
      position += entry.stored;
      frames.push(target);
    }
    try {
      return unpackPayload(tree, frames);
    } catch (error) {
      throw new SpillFileError(`${path}: the value cannot be rebuilt (${errorMessage(error)})`, { cause: error });
    }
  } finally {
    await handle.close().catch(() => {});
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? errorMessage(error);
}

function truncated(path: string, fileBytes: number, expectedBytes: number): SpillFileError {
  return new SpillFileError(`${path} is truncated: ${fileBytes} bytes of ${expectedBytes}`);
}

async function sizeOf(handle: FileHandle, path: string): Promise<number> {
  try {
    return (await handle.stat()).size;
  } catch (error) {
    throw new SpillFileError(`${path} cannot be read (${codeOf(error)})`, { cause: error });
  }
}

/** The header passed its checksum, so a shape other than ours means a writer bug: still the file's fault. */
function decodeHeader(header: Uint8Array, path: string): { tree: unknown; frames: FrameEntry[] } {
  let decoded: { tree: unknown; frames: FrameEntry[] };
  try {
    decoded = packr.unpack(header) as { tree: unknown; frames: FrameEntry[] };
  } catch (error) {
    throw new SpillFileError(`${path}: the header cannot be decoded (${errorMessage(error)})`, { cause: error });
  }
  if (!Array.isArray(decoded?.frames)) throw new SpillFileError(`${path}: the header lists no frames`);
  return decoded;
}

async function inflate(stored: Uint8Array, bytes: number, path: string): Promise<Uint8Array> {
  let inflated: Uint8Array;
  try {
    inflated = await inflateAsync(stored);
  } catch (error) {
    throw new SpillFileError(`${path}: a frame cannot be decompressed (${errorMessage(error)})`, { cause: error });
  }
  if (inflated.byteLength !== bytes) throw new SpillFileError(`${path}: a frame inflated to ${inflated.byteLength} bytes, expected ${bytes}`);
  return inflated;
}

async function readExactly(handle: FileHandle, target: Uint8Array, position: number, path: string): Promise<Uint8Array> {
  let done = 0;
  while (done < target.byteLength) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(target, done, target.byteLength - done, position + done));
    } catch (error) {
      throw new SpillFileError(`${path} cannot be read (${codeOf(error)})`, { cause: error });
    }
    if (bytesRead === 0) throw new SpillFileError(`${path} ends early: the spill file is truncated`);
    done += bytesRead;
  }
  return target;
}
