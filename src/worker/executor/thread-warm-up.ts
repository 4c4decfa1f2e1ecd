/**
 * What a compute thread does once, before its worker joins the scheduler (thread-pool.ts
 * ready()): run the code every array task goes through — a Zarr region read (Blosc-LZ4
 * decode), the Gaussian kernels, an elementwise step and a grouped chunk write (Blosc-LZ4
 * encode) — on a small volume in a temporary directory, so that the first real task does
 * not pay for compiling it; then a reduction's fused tasks on small blocks (reduction-warm-up.ts).
 *
 * Measured on the DoG (64×256×256, 2 workers × 1 thread, one grouped task of 32×256×256 per
 * worker, distinct inputs so that no decoded chunk is reused): a fresh thread's first task
 * took ~0.06 CPU s more than a later one, and V8's compiler threads another ~0.06 s (of a
 * task of ~0.2 s): V8 compiles a hot function optimised only after it has run for a while,
 * so the kernels, codecs, strided copies and elementwise loops ran unoptimised through much
 * of the first task. Running each once on a tiny buffer (the earlier warm-up) did not reach
 * that point; running the real chain twice on 40×96×96 does (~0.1 s per thread, once, while
 * the worker starts: outside any task, as the start of Dask's workers is).
 *
 * The kernels' WebAssembly memory (the separable filters' boxes) is then grown to what a real
 * task fills and every page of it written once: the 40×96×96 chain needs ~2 MiB of it, a
 * grouped DoG task of the course's chunking 16 MiB (64×256×256: a 32×256×256 core from a
 * 64×256×256 halo) to 28.4 MiB (128×512×512), and the first task otherwise paid the page faults
 * of the memory it grew (first touch, ~2 µs a 4 KiB page). Bounded by the thread's share for
 * the kernels' staged memory (thread-memory.ts: 1/16 of the thread's part of the worker's
 * limit), and never above what that DoG task fills anyway, so the peak RSS of that workload
 * does not grow: 28.4 MiB would spare a 128×512×512 first task ~3,200 faults (~7 ms) and add
 * 12 MiB to a 64×256×256 worker's peak RSS (a 30 MiB target measured 153 → 167 MiB).
 *
 * What a fresh thread's first task still pays beyond a later one's (128×512×512, ~0.05 CPU s,
 * measured): first touch of its other buffers (~10,000 pages: the halo, the filters' results,
 * V8's heap), which later tasks take from the recycling pool (ndarray/block-recycling.ts) or
 * find resident; ~13 ms more of garbage collection pauses (incremental marking, mostly).
 * Writing such buffers here would hold them resident from start-up, sized for one workload and
 * dropped with the idle pool anyway; running the chain more often or over more storage chunks
 * measured no gain.
 *
 * Then the fused tasks of a typical reduction (reduction-warm-up.ts: random blocks, an add with
 * a transposed operand and its sum partial, the tree's combines, a mean): measured on the x + x.T
 * sum of a random 8000² in 500² blocks, a fresh thread's first ten tasks took 81 CPU ms (median
 * of 8 threads; the first ~55) after the chain above alone, against ~22 for ten later ones;
 * 33 with this step, which adds 32 CPU ms to the thread's warm-up (163 → 195, medians of 8).
 * The DoG's first task after the whole warm-up is unchanged (66.6 → 66.7 CPU ms, medians of 8).
 *
 * Nothing here may fail a thread: a codec, kernel or directory that cannot be used here fails
 * the task that uses it, with that task's error, as before. What the warm-up leaves behind is
 * what a first task would: the kernels' WebAssembly memory (kernelMemoryTarget(), written
 * once), no cached chunk (dropped), no cached opening of its arrays and no file (the
 * directory is removed). Its buffers are collected before the worker joins (compute-thread.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeBloscFrame, encodeBloscFrame } from "../../zarr/blosc-frame.js";
import { createArray, readRegion, writeChunk, writeChunkGroup } from "../../zarr/index.js";
import { forgetArrays } from "../../zarr/open-array.js";
import { dropChunkCache } from "../../zarr/chunk-cache.js";
import { resolveRef } from "../../zarr/zarr-ref.js";
import { gaussianFilter } from "../../ndimage/gaussian.js";
import { stagedLimit } from "../../ndimage/staged-lines.js";
import { wasmInstance } from "../../ndimage/wasm/wasm-instance.js";
import { subtract } from "../../ndarray/arithmetic.js";
import { NDArray, allocate } from "../../ndarray/ndarray.js";
import { identity } from "../../graph/graph-ops.js";
import { builtinNameOf } from "../../core/builtin.js";
import { reductionWarmUpBuiltins, warmUpReductions } from "./reduction-warm-up.js";

/** The warm-up volume: deep enough for a σ 10 Gaussian's reach, wide enough for the kernels' loops to be optimised. */
const warmShape = [40, 96, 96];
/** The core the filters compute (a block and its halo), written as 2 × 2 × 2 chunks. */
const core = { start: [4, 16, 16], stop: [36, 80, 80] };
/** Runs of the chain: V8 optimises a function after some calls and loop iterations, not one. */
const pipelineRounds = 2;
/** Decoded bytes the reads may cache, as a grouped task's do (the cache is dropped afterwards). */
const warmCacheBytes = 16 * 2 ** 20;
/** The Gaussians of the course's DoG: the small and the large kernel take different paths (staged rows, split regions). */
const sigmas = [3, 10];

/** The kernels' memory a grouped DoG task of the course's chunking fills at the least (64×256×256: 16 MiB, none grown beyond). */
const warmKernelBytes = 16 * 2 ** 20;
/** Bytes per page written once to make it resident (the OS's page; WebAssembly's are 64 KiB). */
const touchStride = 4096;

/**
 * The built-ins the chain calls, and the worker's own warm-up task (server/task-path-warm-up.ts):
 * loaded by name before the warm-up (builtin-catalog.ts), so the array tasks' first call finds
 * them. A worker loads any other built-in's module when a task first calls it.
 */
export const warmUpBuiltinNames: readonly string[] = [readRegion, gaussianFilter, subtract, writeChunkGroup, identity, ...reductionWarmUpBuiltins].map((fn) => builtinNameOf(fn) ?? fn.name);

export type WarmUpStep = "blosc-lz4" | "zarr-pipeline" | "reductions" | "kernel-memory";

export interface WarmUpReport {
  /** What ran; a step that threw is left out (its task will report the error). */
  steps: WarmUpStep[];
}

/** A deterministic uint16 volume that takes every codec path: noise (long literals), a constant (long matches), a noisy ramp (short ones). */
function warmVolume(): NDArray {
  const cells = warmShape.reduce((a, b) => a * b, 1);
  // In shared memory, as every block a task sees (type feedback from the same kind of buffer).
  const values = allocate("uint16", cells) as Uint16Array;
  let state = 0x2545f491;
  for (let i = 0; i < cells; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const part = (4 * i) / cells;
    values[i] = part < 2 ? 100 + (state & 0x3ff) : part < 3 ? 1000 : (i % 1024) + (state & 7);
  }
  return new NDArray(values, warmShape, { dtype: "uint16" });
}

/** Encodes and decodes in memory: runs even where no temporary directory can be written. */
async function warmUpCodec(volume: NDArray): Promise<void> {
  const bytes = new Uint8Array(volume.storage.buffer, volume.storage.byteOffset, volume.storage.byteLength);
  const frame = await encodeBloscFrame(bytes, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 });
  await decodeBloscFrame(frame, bytes.length);
}

/** A grouped DoG task, as a worker runs it: read the halo, filter the core twice, subtract, write the core's chunks. */
async function warmUpPipeline(volume: NDArray): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tessera-thread-warm-up-"));
  const source = { path: join(dir, "source.zarr") };
  const target = { path: join(dir, "target.zarr") };
  try {
    const coreShape = core.stop.map((stop, axis) => stop - core.start[axis]);
    // Stored as OME-Zarr volumes are (t, c, z, y, x), read with the singleton axes dropped.
    const stored = [1, 1, ...warmShape];
    await createArray(source, { shape: stored, chunks: stored, dtype: "uint16" });
    await writeChunk(source, stored.map(() => 0), new NDArray(volume.data, stored, { dtype: "uint16" }));
    await createArray(target, { shape: coreShape, chunks: coreShape.map((n) => n / 2), dtype: "uint16" });
    const chunks = [0, 1].flatMap((z) => [0, 1].flatMap((y) => [0, 1].map((x) => [z, y, x])));
    for (let round = 0; round < pipelineRounds; round++) {
      const halo = await readRegion(source, stored.map(() => 0), stored, { dropAxes: [0, 1], cacheBytes: warmCacheBytes });
      const [sharp, blurred] = sigmas.map((sigma) => gaussianFilter(halo, { sigma, order: 0, mode: "nearest", outputRegion: core }));
      await writeChunkGroup(target, { origin: coreShape.map(() => 0), chunks }, subtract(sharp, blurred));
    }
  } finally {
    // Nothing stays: neither the files nor the thread's cached opening of either array.
    for (const ref of [source, target]) forgetArrays(resolveRef(ref));
    dropChunkCache();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The size the warm-up grows the kernels' memory to: a real task's, within this thread's share (`stagedLimit`, capped by the worker's limit). */
export function kernelMemoryTarget(): number {
  return Math.min(warmKernelBytes, stagedLimit.bytes);
}

/**
 * Grows the kernels' memory to kernelMemoryTarget() and writes every page once (each byte
 * rewritten with its own value: nothing a kernel left there changes), so the first task's
 * filters find it resident.
 */
function warmUpKernelMemory(): boolean {
  const wasm = wasmInstance();
  if (wasm === null) return false; // no WebAssembly SIMD: the filters run in JavaScript
  const bytes = kernelMemoryTarget();
  const pages = new Uint8Array(wasm.reserve(bytes), 0, bytes);
  for (let at = 0; at < bytes; at += touchStride) pages[at] = pages[at];
  return true;
}

export async function warmUpThread(): Promise<WarmUpReport> {
  const steps: WarmUpStep[] = [];
  const volume = warmVolume();
  try {
    await warmUpCodec(volume);
    steps.push("blosc-lz4");
  } catch {
    // left to the first task that uses the codec
  }
  try {
    await warmUpPipeline(volume);
    steps.push("zarr-pipeline");
  } catch {
    // left to the first task that reads, filters or writes
  }
  try {
    await warmUpReductions();
    steps.push("reductions");
  } catch {
    // left to the first reduction task
  }
  try {
    if (warmUpKernelMemory()) steps.push("kernel-memory");
  } catch {
    // memory the runtime cannot grow now: the first task that needs it grows it, or fails as before
  }
  return { steps };
}
