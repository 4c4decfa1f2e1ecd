/**
 * This thread's instance of correlate.wat, created on first use (each worker thread has its own,
 * with its own linear memory). Memory only grows: a thread keeps the largest size a filter call
 * needed. `wasmInstance()` is null where the runtime lacks WebAssembly SIMD.
 */
import { correlateWasmBase64 } from "./correlate-binary.js";

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface PassCall {
  kind: number;
  centreRow: number;
  weights: number;
  weightCount: number;
  src: number;
  srcType: number;
  srcRowStride: number;
  srcLaneStride: number;
  srcGroupStride: number;
  runs: number;
  runCount: number;
  cval: number;
  lanes: number;
  rows: number;
  skip: number;
  dst: number;
  dstType: number;
  dstRowStride: number;
  dstLaneStride: number;
  dstGroupStride: number;
  groups: number;
  buffer: number;
  out: number;
  sums: number;
}

interface CorrelateExports {
  readonly memory: WasmMemory;
  pass(...args: number[]): void;
}

const pageBytes = 65536;
/** wasm32 memories stop at 4 GiB; stay well below so growth does not fail. */
export const wasmMemoryLimit = 3 * 2 ** 30;

export class WasmInstance {
  readonly #exports: CorrelateExports;

  constructor(exports: CorrelateExports) {
    this.#exports = exports;
  }

  /** Grows memory to at least `bytes`; returns the memory's current buffer. */
  reserve(bytes: number): ArrayBuffer {
    const memory = this.#exports.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / pageBytes));
    return memory.buffer;
  }

  pass(c: PassCall): void {
    this.#exports.pass(
      c.kind, c.centreRow, c.weights, c.weightCount,
      c.src, c.srcType, c.srcRowStride, c.srcLaneStride, c.srcGroupStride,
      c.runs, c.runCount, c.cval, c.lanes, c.rows, c.skip,
      c.dst, c.dstType, c.dstRowStride, c.dstLaneStride, c.dstGroupStride,
      c.groups, c.buffer, c.out, c.sums,
    );
  }
}

let instance: WasmInstance | null | undefined;

/** This thread's instance, or null when WebAssembly SIMD is unavailable. */
export function wasmInstance(): WasmInstance | null {
  if (instance === undefined) instance = instantiate();
  return instance;
}

function instantiate(): WasmInstance | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return null;
  const bytes = Uint8Array.from(atob(correlateWasmBase64), (c) => c.charCodeAt(0));
  if (!api.validate(bytes)) return null; // no SIMD support
  const module = new api.Module(bytes);
  return new WasmInstance(new api.Instance(module).exports as CorrelateExports);
}
