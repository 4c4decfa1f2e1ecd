/**
 * The xoshiro256+ fill of xoshiro256-plus.ts as a small WebAssembly module (i64 arithmetic:
 * one native step per value instead of a dozen 32-bit operations). Same stream, bit for bit;
 * test/ndarray/xoshiro256-plus.test.ts compares the two.
 *
 * The module is assembled from its opcodes (wasm-module-builder.ts). Memory layout: the state's four i64 words at byte 0, values
 * from byte 64 on. A call fills at most `chunkValues` values there; the caller copies them
 * out, so the module's memory stays small and in cache whatever the block size. Each thread
 * instantiates its own copy on first use.
 */

/** Values per fill call: 256 KiB of float64, the size of a core's L2 or less. */
import { type WasmFunction, floatBytes, instantiate, moduleBytes, op, signedLeb, type, unsignedLeb } from "./wasm-module-builder.js";

export const chunkValues = 32768;
const valuesAt = 64;
const memoryPages = Math.ceil((valuesAt + chunkValues * 8) / 65536);

interface UniformExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  fill64(count: number): void;
  fill32(count: number): void;
}

/**
 * The body of fill64 / fill32 (one parameter: the number of values). Locals: 1 pointer,
 * 2 end, 3–6 the state words s0..s3, 7 the step's t.
 */
function fillFunction(float32: boolean): WasmFunction {
  const width = float32 ? 4 : 8;
  const get = (local: number) => [op.localGet, local];
  const set = (local: number) => [op.localSet, local];
  const xorInto = (target: number, source: number) => [...get(target), ...get(source), op.i64Xor, ...set(target)];
  const loadState = [3, 4, 5, 6].flatMap((local, i) => [op.i32Const, 0, op.i64Load, 3, ...unsignedLeb(i * 8), ...set(local)]);
  const storeState = [3, 4, 5, 6].flatMap((local, i) => [op.i32Const, 0, ...get(local), op.i64Store, 3, ...unsignedLeb(i * 8)]);
  const value = float32
    ? [op.i64Const, ...signedLeb(40), op.i64ShrU, op.f32ConvertI64S, op.f32Const, ...floatBytes(2 ** -24, true), op.f32Mul, op.f32Store, 2, 0]
    : [op.i64Const, ...signedLeb(11), op.i64ShrU, op.f64ConvertI64S, op.f64Const, ...floatBytes(2 ** -53, false), op.f64Mul, op.f64Store, 3, 0];
  const code = [
    ...loadState,
    op.i32Const, ...signedLeb(valuesAt), ...set(1),
    ...get(0), op.i32Const, ...signedLeb(Math.log2(width)), op.i32Shl, op.i32Const, ...signedLeb(valuesAt), op.i32Add, ...set(2),
    op.block, op.void,
    ...get(1), ...get(2), op.i32GeU, op.brIf, 0,
    op.loop, op.void,
    // values[ptr] = top bits of (s0 + s3) scaled to [0, 1)
    ...get(1), ...get(3), ...get(6), op.i64Add, ...value,
    // t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    ...get(4), op.i64Const, ...signedLeb(17), op.i64Shl, ...set(7),
    ...xorInto(5, 3), ...xorInto(6, 4), ...xorInto(4, 5), ...xorInto(3, 6), ...xorInto(5, 7),
    ...get(6), op.i64Const, ...signedLeb(45), op.i64Rotl, ...set(6),
    ...get(1), op.i32Const, ...signedLeb(width), op.i32Add, op.localTee, 1,
    ...get(2), op.i32LtU, op.brIf, 0,
    op.end,
    op.end,
    ...storeState,
    op.end,
  ];
  return { name: float32 ? "fill32" : "fill64", params: [type.i32], results: [], locals: [[2, type.i32], [5, type.i64]], code };
}

/** The module's bytes: fill64 and fill32, one memory. */
export function uniformModuleBytes(): Uint8Array {
  return moduleBytes(memoryPages, [fillFunction(false), fillFunction(true)]);
}

let instance: UniformExports | null | undefined;

/** This thread's instance, or null where the runtime has no WebAssembly. */
function uniformInstance(): UniformExports | null {
  if (instance !== undefined) return instance;
  instance = instantiate<UniformExports>(uniformModuleBytes());
  return instance;
}

/** Whether fillUniformWasm can run here. */
export function wasmUniformAvailable(): boolean {
  return uniformInstance() !== null;
}

/** fillUniformJs's contract, run in WebAssembly; throws where WebAssembly is missing (check wasmUniformAvailable). */
export function fillUniformWasm(values: Float64Array | Float32Array, state: Uint32Array, float32: boolean): void {
  const exports = uniformInstance();
  if (!exports) throw new Error("fillUniformWasm: this runtime has no WebAssembly");
  const buffer = exports.memory.buffer;
  const stateWords = new Uint32Array(buffer, 0, 8);
  stateWords.set(state);
  const made = float32 ? new Float32Array(buffer, valuesAt, chunkValues) : new Float64Array(buffer, valuesAt, chunkValues);
  const fill = float32 ? exports.fill32 : exports.fill64;
  for (let at = 0; at < values.length; at += chunkValues) {
    const count = Math.min(chunkValues, values.length - at);
    fill(count);
    values.set(count === chunkValues ? made : made.subarray(0, count), at);
  }
  state.set(stateWords);
}
