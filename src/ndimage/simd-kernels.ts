/**
 * WebAssembly SIMD kernels compiled at run time for the rank filters and morphology: a fold
 * (minimum, maximum or bitwise and) or a selection network over footprint cells — and the
 * weighted sum of n-d correlation (float64 lanes only) — computed for 2
 * (float64), 4 (float32) or 16 (bytes) neighbouring outputs at once. Scalar JS compares with
 * branches that random data mispredicts; `f32x4.pmin` / `f64x2.pmin` compute
 * `b < a ? b : a` without branches, which is exactly scipy's `if (tmp < res) res = tmp`, so the
 * folds are bit-identical for every input (NaN and signed zeros included).
 *
 * A kernel reads cell k of the group at output i from `row[rowOf k] + (i + shift_k)·element`,
 * with row addresses given per call. Each kernel is its own small module (wasm-emitter.ts),
 * cached by its key; all import one memory per thread, where the caller stages rows and outputs.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import type { Backend } from "./options.js";
import { CodeWriter, moduleBytes, op, simdOp } from "./wasm-emitter.js";
import { selectionNetwork } from "./selection-network.js";

/** f64: float64x2 lanes; f32: float32x4 (exact for float32 and integers of up to 16 bits); u8: bytes ×16. */
export type LaneKind = "f64" | "f32" | "u8";

export type FoldOp =
  /** scipy's footprint fold: the first cell wins ties. */
  | "min" | "max"
  /** MINLIST without NaN: the later cell wins ties. */
  | "minLater" | "maxLater"
  | "and";

export interface Cells {
  readonly rowOf: Int32Array;
  readonly shift: Int32Array;
  readonly rows: number;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: { run: (...args: number[]) => void } };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const wasm = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
let memory: WasmMemory | null = null;
let available: boolean | null = null;

/** Whether this runtime runs WebAssembly SIMD (checked once, with a tiny kernel). */
export function simdAvailable(): boolean {
  if (available === null) {
    try {
      const probe = compile(foldBody("min", { rowOf: Int32Array.of(0), shift: Int32Array.of(0), rows: 1 }, "f32"), 1);
      available = probe !== null;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * The lanes a kernel over `dtype` values uses (float32 lanes hold float32 and every integer of
 * up to 16 bits exactly), or null for the plain TypeScript loops (`backend: "js"`, or "auto"
 * without SIMD). `backend: "wasm"` without SIMD is an error.
 */
export function laneKindFor(dtype: DType, backend: Backend): "f32" | "f64" | null {
  if (backend === "js") return null;
  if (!simdAvailable()) {
    if (backend === "wasm") throw new InvalidOptionError(`backend "wasm" is not available: this runtime has no WebAssembly SIMD; use "auto" or "js"`);
    return null;
  }
  return dtype === "float64" || dtype === "int32" || dtype === "uint32" ? "f64" : "f32";
}

export const lanesOf = (kind: LaneKind): number => (kind === "f64" ? 2 : kind === "f32" ? 4 : 16);
export const elementBytes = (kind: LaneKind): number => (kind === "f64" ? 8 : kind === "f32" ? 4 : 1);

/** A compiled kernel: run(rowAddresses, outAddress, groups). */
export type SimdKernel = (rowAddresses: readonly number[], out: number, groups: number) => void;

const cache = new Map<string, SimdKernel>();

export function foldKernel(fold: FoldOp, cells: Cells, kind: LaneKind): SimdKernel {
  return cached(`fold|${fold}|${kind}|${cellKey(cells)}`, () => compile(foldBody(fold, cells, kind), cells.rows));
}

export function selectKernel(rank: number, cells: Cells, kind: LaneKind): SimdKernel {
  return cached(`select|${rank}|${kind}|${cellKey(cells)}`, () => compile(selectBody(rank, cells, kind), cells.rows));
}

/**
 * scipy's correlation sum over footprint cells, two float64 outputs at once: acc = +0.0, then
 * acc += w_k · x_k cell by cell in footprint order (f64x2 mul and add: IEEE double operations,
 * each lane one output, so every output sees scipy's operations in scipy's order). The weights
 * are constants of the kernel.
 */
export function weightedSumKernel(weights: Float64Array, cells: Cells): SimdKernel {
  const bits = Array.from(new Uint32Array(weights.buffer, weights.byteOffset, weights.length * 2), (word) => word.toString(16)).join(",");
  return cached(`sum|${bits}|${cellKey(cells)}`, () => compile(weightedSumBody(weights, cells), cells.rows));
}

function cellKey(cells: Cells): string {
  return `${Array.from(cells.rowOf).join(",")}|${Array.from(cells.shift).join(",")}|${cells.rows}`;
}

function cached(key: string, build: () => SimdKernel | null): SimdKernel {
  let kernel = cache.get(key);
  if (kernel === undefined) {
    const built = build();
    if (built === null) throw new Error("WebAssembly SIMD is not available in this runtime");
    kernel = built;
    cache.set(key, kernel);
  }
  return kernel;
}

interface Body {
  code: CodeWriter;
  v128Locals: number;
}

/**
 * Shared frame of every kernel: parameters row_0…row_{R−1}, out, groups; loop until groups is 0,
 * advancing every address by one vector (16 bytes).
 */
function loopAround(rows: number, v128Locals: number, inner: (code: CodeWriter) => void): Body {
  const out = rows;
  const groups = rows + 1;
  const code = new CodeWriter();
  code.raw(op.block, 0x40, op.loop, 0x40);
  code.localGet(groups).raw(op.i32Eqz).raw(op.brIf).u32(1);
  inner(code);
  for (let r = 0; r <= rows; r++) code.localGet(r).i32Const(16).raw(op.i32Add).localSet(r);
  code.localGet(groups).i32Const(1).raw(op.i32Sub).localSet(groups);
  code.raw(op.br).u32(0);
  code.raw(op.end, op.end);
  void out;
  return { code, v128Locals };
}

function load(code: CodeWriter, cells: Cells, k: number, kind: LaneKind): void {
  code.localGet(cells.rowOf[k]).v128Load(cells.shift[k] * elementBytes(kind));
}

function foldBody(fold: FoldOp, cells: Cells, kind: LaneKind): Body {
  const acc = cells.rows + 2;
  const pmin = kind === "f64" ? simdOp.f64x2Pmin : simdOp.f32x4Pmin;
  const pmax = kind === "f64" ? simdOp.f64x2Pmax : simdOp.f32x4Pmax;
  return loopAround(cells.rows, 1, (code) => {
    load(code, cells, 0, kind);
    code.localSet(acc);
    for (let k = 1; k < cells.rowOf.length; k++) {
      if (fold === "min" || fold === "max" || fold === "and") {
        code.localGet(acc);
        load(code, cells, k, kind);
      } else {
        load(code, cells, k, kind);
        code.localGet(acc);
      }
      const opcode = fold === "and" ? simdOp.v128And : fold === "min" || fold === "minLater" ? pmin : pmax;
      code.simd(opcode).localSet(acc);
    }
    code.localGet(cells.rows).localGet(acc).v128Store(0);
  });
}

function selectBody(rank: number, cells: Cells, kind: LaneKind): Body {
  const count = cells.rowOf.length;
  const network = selectionNetwork(count, rank);
  const first = cells.rows + 2;
  const pmin = kind === "f64" ? simdOp.f64x2Pmin : simdOp.f32x4Pmin;
  const pmax = kind === "f64" ? simdOp.f64x2Pmax : simdOp.f32x4Pmax;
  return loopAround(cells.rows, count, (code) => {
    for (let k = 0; k < count; k++) {
      load(code, cells, k, kind);
      code.localSet(first + k);
    }
    for (const step of network.steps) {
      const a = first + step.a;
      const b = first + step.b;
      if (step.keepMin) code.localGet(a).localGet(b).simd(pmin);
      if (step.keepMax) code.localGet(a).localGet(b).simd(pmax).localSet(b);
      if (step.keepMin) code.localSet(a);
    }
    code.localGet(cells.rows).localGet(first + network.output).v128Store(0);
  });
}

function weightedSumBody(weights: Float64Array, cells: Cells): Body {
  const acc = cells.rows + 2;
  const pair = new Float64Array(2);
  const pairBytes = new Uint8Array(pair.buffer);
  return loopAround(cells.rows, 1, (code) => {
    code.v128Const(new Uint8Array(16)).localSet(acc);
    for (let k = 0; k < cells.rowOf.length; k++) {
      code.localGet(acc);
      load(code, cells, k, "f64");
      pair.fill(weights[k]);
      code.v128Const(pairBytes).simd(simdOp.f64x2Mul).simd(simdOp.f64x2Add).localSet(acc);
    }
    code.localGet(cells.rows).localGet(acc).v128Store(0);
  });
}

function compile(body: Body, rows: number): SimdKernel | null {
  if (wasm === undefined) return null;
  const bytes = moduleBytes(rows + 2, body.v128Locals, body.code);
  const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory: sharedMemory() } });
  const run = instance.exports.run;
  return (rowAddresses, out, groups) => run(...rowAddresses, out, groups);
}

function sharedMemory(): WasmMemory {
  if (wasm === undefined) throw new Error("WebAssembly is not available in this runtime");
  memory ??= new wasm.Memory({ initial: 16, maximum: 65536 });
  return memory;
}

/** The kernels' memory, grown to hold at least `bytes` (views of an older buffer are stale after). */
export function kernelMemory(bytes: number): ArrayBuffer {
  const mem = sharedMemory();
  const need = Math.ceil(bytes / 65536) - mem.buffer.byteLength / 65536;
  if (need > 0) mem.grow(need);
  return mem.buffer;
}

/** Views of staging space in the kernels' memory: `rowCount` rows and one output line. */
export interface Staging<View> {
  readonly rows: View[];
  readonly rowAddresses: number[];
  readonly out: View;
  readonly outAddress: number;
  /** Vector groups covering `width` outputs. */
  readonly groups: number;
}

type ViewOf<K extends LaneKind> = K extends "f64" ? Float64Array : K extends "f32" ? Float32Array : Uint8Array;

/**
 * Staging for one line of `width` outputs whose rows hold `rowLength` cells; rows are padded so
 * the last vector group reads inside them. Grows the memory first: the views stay valid until
 * the next call.
 */
export function staging<K extends LaneKind>(kind: K, rowCount: number, rowLength: number, width: number): Staging<ViewOf<K>> {
  const lanes = lanesOf(kind);
  const bytes = elementBytes(kind);
  const groups = Math.ceil(width / lanes);
  const rowBytes = Math.ceil(((rowLength + lanes) * bytes) / 16) * 16;
  const outBytes = groups * 16;
  const total = rowCount * rowBytes + outBytes;
  const buffer = kernelMemory(total);
  const View = (kind === "f64" ? Float64Array : kind === "f32" ? Float32Array : Uint8Array) as unknown as new (buffer: ArrayBuffer, offset: number, length: number) => ViewOf<K>;
  const rows = Array.from({ length: rowCount }, (_, r) => new View(buffer, r * rowBytes, rowLength));
  const outAddress = rowCount * rowBytes;
  return {
    rows, rowAddresses: rows.map((_, r) => r * rowBytes), out: new View(buffer, outAddress, groups * lanes), outAddress, groups,
  };
}
