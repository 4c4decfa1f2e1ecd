/**
 * One spilled value as one file, in the same two parts as a message on the wire: the value's
 * payload tree (packPayload: small, msgpack'd) and its binary frames (chunk data, raw or
 * zlib-compressed):
 *
 *     "TSP1" | u32 LE header length | msgpack header | frame bytes…
 *     header = { tree, frames: [{ bytes, stored, codec: "zlib" | null, shared }] }
 *
 * Reading puts every frame into a buffer of its own, of the kind it came from
 * (SharedArrayBuffer for NDArray blocks, so compute threads use them without a copy), with
 * uncompressed frames read from the file straight into it.
 */
import { open } from "node:fs/promises";
import { promisify } from "node:util";
import { deflateRaw, inflateRaw } from "node:zlib";
import { Packr } from "msgpackr";
import { TesseraError } from "../../core/errors.js";
import { packPayload, unpackPayload } from "../../protocol/payload.js";
import type { CompressionPolicy } from "./spill-compression.js";

const magic = 0x31505354; // "TSP1" read as u32 LE
const packr = new Packr({ useRecords: false, moreTypes: false });
const deflateAsync = promisify(deflateRaw);
const inflateAsync = promisify(inflateRaw);

export class SpillFileError extends TesseraError {
  override name = "SpillFileError";
}

interface FrameEntry {
  bytes: number;
  stored: number;
  codec: "zlib" | null;
  shared: boolean;
}

export interface SpillWrite {
  /** Bytes the file takes on disk. */
  diskBytes: number;
  /** Seconds spent writing (compression excluded), for the disk-speed estimate. */
  writeSeconds: number;
}

/** Writes `value` to `path` (which must not exist yet). */
export async function writeSpillFile(path: string, value: unknown, compression: CompressionPolicy): Promise<SpillWrite> {
  const frames: Uint8Array[] = [];
  const tree = packPayload(value, frames);
  const stored: Uint8Array[] = [];
  const entries: FrameEntry[] = [];
  for (const frame of frames) {
    const codec = compression.choose(frame);
    let bytes = frame;
    if (codec === "zlib") {
      const compressed = await deflateAsync(frame, { level: 1 });
      if (compressed.byteLength < frame.byteLength) bytes = compressed;
    }
    stored.push(bytes);
    entries.push({ bytes: frame.byteLength, stored: bytes.byteLength, codec: bytes === frame ? null : "zlib", shared: frame.buffer instanceof SharedArrayBuffer });
  }
  const header = packr.pack({ tree, frames: entries });
  const prefix = new Uint8Array(8);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, magic, true);
  view.setUint32(4, header.byteLength, true);
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
  return { diskBytes, writeSeconds: (performance.now() - start) / 1000 };
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

/** Reads a value written by writeSpillFile. */
export async function readSpillFile(path: string): Promise<unknown> {
  const handle = await open(path, "r");
  try {
    const prefix = await readExactly(handle, new Uint8Array(8), 0, path);
    const view = new DataView(prefix.buffer);
    if (view.getUint32(0, true) !== magic) throw new SpillFileError(`${path} is not a tessera spill file`);
    const header = await readExactly(handle, new Uint8Array(view.getUint32(4, true)), 8, path);
    const { tree, frames: entries } = packr.unpack(header) as { tree: unknown; frames: FrameEntry[] };
    let position = 8 + header.byteLength;
    const frames: Uint8Array[] = [];
    for (const entry of entries) {
      const target = new Uint8Array(entry.shared ? new SharedArrayBuffer(entry.bytes) : new ArrayBuffer(entry.bytes));
      if (entry.codec === null) {
        await readExactly(handle, target, position, path);
      } else {
        const compressed = await readExactly(handle, new Uint8Array(entry.stored), position, path);
        const inflated = await inflateAsync(compressed);
        if (inflated.byteLength !== entry.bytes) throw new SpillFileError(`${path}: a frame inflated to ${inflated.byteLength} bytes, expected ${entry.bytes}`);
        target.set(inflated);
      }
      position += entry.stored;
      frames.push(target);
    }
    return unpackPayload(tree, frames);
  } finally {
    await handle.close();
  }
}

async function readExactly(handle: Awaited<ReturnType<typeof open>>, target: Uint8Array, position: number, path: string): Promise<Uint8Array> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, target.byteLength - done, position + done);
    if (bytesRead === 0) throw new SpillFileError(`${path} ends early: the spill file is truncated`);
    done += bytesRead;
  }
  return target;
}
