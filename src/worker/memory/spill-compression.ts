/**
 * Whether to compress a frame before it is spilled: only when that pays.
 *
 * "zlib" compresses every frame whose sample shrinks to 90 % or less (Dask's rule for
 * `maybe_compress`). "auto" also asks whether it is *faster*: compressing costs time, and
 * pays only when the time saved writing fewer bytes exceeds it, i.e. when
 *
 *     seconds to compress one byte  <  (1 − ratio) × seconds to write one byte.
 *
 * Both sides are measured: the ratio and speed on a sample of three 16 KiB slices of the frame
 * (start, middle, end, so a blank border does not decide alone), the disk's speed as a moving
 * average of the spill writes so far. On a page-cached local disk (GB/s) only very compressible
 * data (large blank regions) is compressed; on a slow disk, or with `maxSpill` bounding the
 * space, most numeric data is. zlib at level 1 runs on libuv's thread pool, off the event loop.
 * (lz4 from numcodecs was measured too: its WebAssembly memory grows to the largest frame and
 * never shrinks, a poor trade on a worker whose memory is limited.)
 */
import { deflateRawSync } from "node:zlib";

export type SpillCompression = "auto" | "zlib" | false;

export const spillCompressionChoices: readonly SpillCompression[] = ["auto", "zlib", false];

/** Frames smaller than this are written as they are. */
const smallestCompressedFrame = 64 * 1024;
const sliceBytes = 16 * 1024;
const worthwhileRatio = 0.9;

export interface SampleMeasure {
  /** Compressed size / original size of the sample. */
  ratio: number;
  /** Seconds to compress one byte of the sample. */
  secondsPerByte: number;
}

/** The decision itself, pure: `diskSecondsPerByte` from measured writes. */
export function compressionPays(mode: SpillCompression, sample: SampleMeasure, diskSecondsPerByte: number, spaceIsLimited: boolean): boolean {
  if (mode === false || sample.ratio > worthwhileRatio) return false;
  if (mode === "zlib" || spaceIsLimited) return true;
  return sample.secondsPerByte < (1 - sample.ratio) * diskSecondsPerByte;
}

function measureSample(frame: Uint8Array): SampleMeasure {
  const starts = [0, Math.floor(frame.byteLength / 2), frame.byteLength - sliceBytes];
  const sample = new Uint8Array(starts.length * sliceBytes);
  starts.forEach((start, i) => sample.set(frame.subarray(start, start + sliceBytes), i * sliceBytes));
  const begin = performance.now();
  const compressed = deflateRawSync(sample, { level: 1 });
  const seconds = (performance.now() - begin) / 1000;
  return { ratio: compressed.byteLength / sample.byteLength, secondsPerByte: seconds / sample.byteLength };
}

export class CompressionPolicy {
  /** Moving average of the spill disk's write time per byte; starts at 500 MB/s. */
  private diskSecondsPerByte = 1 / 500e6;

  constructor(readonly mode: SpillCompression, private readonly spaceIsLimited: boolean) {}

  /** "zlib" when this frame should be compressed before writing, else null. */
  choose(frame: Uint8Array): "zlib" | null {
    if (this.mode === false || frame.byteLength < smallestCompressedFrame) return null;
    return compressionPays(this.mode, measureSample(frame), this.diskSecondsPerByte, this.spaceIsLimited) ? "zlib" : null;
  }

  /** Records one write so the estimate follows the disk (page cache, then the device). */
  recordWrite(bytes: number, seconds: number): void {
    if (bytes < smallestCompressedFrame || seconds <= 0) return;
    this.diskSecondsPerByte = 0.8 * this.diskSecondsPerByte + 0.2 * (seconds / bytes);
  }
}
