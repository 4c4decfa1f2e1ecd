/**
 * A spilled value sent from its file without reading it back into memory (to a peer that
 * fetches it: worker/server/data-serving.ts). The file's prefix, header and checksums are read
 * and checked first (spill-file.ts readSpillLayout); its frames then go out as FrameSources
 * (comm/frame-source.ts) read piece by piece, so serving a 16 MB value holds two pieces of
 * `streamPieceBytes` (one being written, the next being read), not 16 MB.
 *
 * Checksums: each frame's CRC-32 is computed over its pieces as they are read, and compared
 * before its last piece is handed out: a damaged file fails (SpillFileError) before the frame
 * is complete, so the receiver never gets the whole of a wrong frame (the connection is
 * dropped mid-message, a failed fetch on its side), and the owner treats the key as lost.
 *
 * Compressed frames: zlib's raw stream could be inflated in pieces too, but its output size is
 * only known from the header and a spill file is compressed only when the disk is slow or the
 * space bounded; such files are read back whole as before (openSpillStream answers null).
 *
 * The file stays open until `close`: a key deleted (its file removed) or read back meanwhile
 * still streams intact from the open file, whose bytes never change once written.
 */
import { crc32 } from "node:zlib";
import type { FrameSource } from "../../comm/frame-source.js";
import { type FileHandle, frameDamaged, openSpillFile, readExactly, readSpillLayout } from "./spill-file.js";

/** Bytes read, checksummed and written in one step. */
export const streamPieceBytes = 2 ** 20;

export interface SpillStream {
  readonly path: string;
  /** The value's payload tree (packPayload), its frames numbered from 0. */
  readonly tree: unknown;
  readonly frames: FrameSource[];
  /** Bytes the stream holds in memory at most while its frames are written. */
  readonly bufferBytes: number;
  /** Closes the file (once the frames are written, or abandoned). */
  close(): Promise<void>;
}

/** Opens `path` to stream its value; null when a frame is compressed (read it back whole instead). Throws SpillFileError. */
export async function openSpillStream(path: string, pieceBytes = streamPieceBytes): Promise<SpillStream | null> {
  const handle = await openSpillFile(path);
  const close = () => handle.close().catch(() => {});
  try {
    const { tree, entries, checksums, framesStart } = await readSpillLayout(handle, path);
    if (entries.some((entry) => entry.codec !== null)) {
      await close();
      return null;
    }
    // Two buffers for the whole stream (its frames go one after another), no bigger than its largest frame.
    const size = Math.min(pieceBytes, Math.max(0, ...entries.map((entry) => entry.stored)));
    const buffers: [Uint8Array, Uint8Array] = [new Uint8Array(size), new Uint8Array(size)];
    let position = framesStart;
    const frames = entries.map((entry, index) => {
      const frame = { handle, path, index, start: position, byteLength: entry.stored, checksum: checksums[index] };
      position += entry.stored;
      return { byteLength: entry.stored, pieces: () => piecesOf(frame, buffers) };
    });
    return { path, tree, frames, bufferBytes: 2 * size, close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface FrameInFile {
  handle: FileHandle;
  path: string;
  index: number;
  start: number;
  byteLength: number;
  checksum: number;
}

/**
 * The frame's bytes piece by piece, alternating between the two buffers: the next piece is
 * read into the buffer whose piece was handed out two steps back (written since: the writer
 * asks for a piece only once the one before is written) while this one is written.
 */
async function* piecesOf(frame: FrameInFile, buffers: [Uint8Array, Uint8Array]): AsyncGenerator<Uint8Array> {
  const { handle, path, start, byteLength } = frame;
  const pieceBytes = buffers[0].byteLength;
  const read = (offset: number, buffer: Uint8Array) => {
    const reading = readExactly(handle, buffer.subarray(0, Math.min(pieceBytes, byteLength - offset)), start + offset, path);
    reading.catch(() => {}); // awaited below; an abandoned stream must not leave it unhandled
    return reading;
  };
  let crc = 0;
  let reading = byteLength > 0 ? read(0, buffers[0]) : null;
  for (let offset = 0, turn = 0; reading !== null; offset += pieceBytes, turn ^= 1) {
    const piece = await reading;
    crc = crc32(piece, crc);
    const next = offset + pieceBytes;
    reading = next < byteLength ? read(next, buffers[turn ^ 1]) : null;
    if (reading === null && crc !== frame.checksum) throw frameDamaged(path, frame.index);
    yield piece;
  }
  if (byteLength === 0 && frame.checksum !== 0) throw frameDamaged(path, frame.index);
}
