/**
 * The xoshiro256+ fill of xoshiro256-plus.ts as a small WebAssembly module (i64 arithmetic:
 * one native step per value instead of a dozen 32-bit operations). Same stream, bit for bit;
 * test/ndarray/xoshiro256-plus.test.ts compares the two.
 *
 * The module is assembled here from its opcodes (ndarray sits below ndimage, whose WASM
 * emitter it may not import). Memory layout: the state's four i64 words at byte 0, values
 * from byte 64 on. A call fills at most `chunkValues` values there; the caller copies them
 * out, so the module's memory stays small and in cache whatever the block size. Each thread
 * instantiates its own copy on first use.
 */

/** Values per fill call: 256 KiB of float64, the size of a core's L2 or less. */
export const chunkValues = 32768;
const valuesAt = 64;
const memoryPages = Math.ceil((valuesAt + chunkValues * 8) / 65536);

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
}

interface UniformExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  fill64(count: number): void;
  fill32(count: number): void;
}

const op = {
  block: 0x02, loop: 0x03, brIf: 0x0d, end: 0x0b, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i64Const: 0x42, f32Const: 0x43, f64Const: 0x44,
  i64Load: 0x29, f32Store: 0x38, f64Store: 0x39, i64Store: 0x37,
  i32Add: 0x6a, i32Shl: 0x74, i32LtU: 0x49, i32GeU: 0x4f,
  i64Add: 0x7c, i64Xor: 0x85, i64Shl: 0x86, i64ShrU: 0x88, i64Rotl: 0x89,
  f32Mul: 0x94, f64Mul: 0xa2, f32ConvertI64S: 0xb4, f64ConvertI64S: 0xb9,
} as const;

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...bytes, byte];
    bytes.push(byte | 0x80);
  }
}

function floatBytes(value: number, float32: boolean): number[] {
  const view = float32 ? new Float32Array([value]) : new Float64Array([value]);
  return [...new Uint8Array(view.buffer)];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return vector([...text].map((c) => [c.charCodeAt(0)]));
}

/**
 * The body of fill64 / fill32 (one parameter: the number of values). Locals: 1 pointer,
 * 2 end, 3–6 the state words s0..s3, 7 the step's t.
 */
function fillBody(float32: boolean): number[] {
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
  const locals = vector([[2, 0x7f], [5, 0x7e]]);
  const body = [...locals, ...code];
  return [...unsignedLeb(body.length), ...body];
}

/** The module's bytes: type (i32) -> (), two functions, one memory, exports. */
export function uniformModuleBytes(): Uint8Array {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, 1, 0x7f, 0]])),
    ...section(3, vector([[0], [0]])),
    ...section(5, vector([[0x00, ...unsignedLeb(memoryPages)]])),
    ...section(7, vector([[...name("memory"), 0x02, 0], [...name("fill64"), 0x00, 0], [...name("fill32"), 0x00, 1]])),
    ...section(10, vector([fillBody(false), fillBody(true)])),
  ]);
}

let instance: UniformExports | null | undefined;

/** This thread's instance, or null where the runtime has no WebAssembly. */
function uniformInstance(): UniformExports | null {
  if (instance !== undefined) return instance;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  instance = api ? (new api.Instance(new api.Module(uniformModuleBytes())).exports as UniformExports) : null;
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
