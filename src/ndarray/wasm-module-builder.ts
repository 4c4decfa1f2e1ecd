/**
 * The few pieces of the WebAssembly binary format that ndarray's small hand-assembled modules
 * need (xoshiro256-plus-wasm.ts, pairwise-sum-wasm.ts): LEB128 numbers, constants, sections,
 * and a module with one memory and functions of given types. ndarray sits below ndimage, whose
 * WASM emitter it may not import; these modules are a few dozen instructions each.
 */

/** Opcodes used by ndarray's modules (0xfd-prefixed ones are SIMD, followed by their LEB index). */
export const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, br: 0x0c, brIf: 0x0d, return: 0x0f, end: 0x0b, void: 0x40, call: 0x10,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i64Const: 0x42, f32Const: 0x43, f64Const: 0x44,
  i64Load: 0x29, f64Load: 0x2b, f32Store: 0x38, f64Store: 0x39, i64Store: 0x37,
  i32Eqz: 0x45, i32LtS: 0x48, i32LtU: 0x49, i32LeS: 0x4c, i32GeU: 0x4f,
  i32Add: 0x6a, i32Sub: 0x6b, i32And: 0x71, i32Shl: 0x74, i32ShrU: 0x76, i32RemU: 0x70,
  i64Add: 0x7c, i64Xor: 0x85, i64Shl: 0x86, i64ShrU: 0x88, i64Rotl: 0x89,
  f32Mul: 0x94, f64Add: 0xa0, f64Mul: 0xa2, f32ConvertI64S: 0xb4, f64ConvertI64S: 0xb9,
  simd: 0xfd,
} as const;

/** Value types. */
export const type = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...bytes, byte];
    bytes.push(byte | 0x80);
  }
}

/** The little-endian bytes of a float32 or float64 constant. */
export function floatBytes(value: number, float32: boolean): number[] {
  const view = float32 ? new Float32Array([value]) : new Float64Array([value]);
  return [...new Uint8Array(view.buffer)];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  return vector([...text].map((c) => [c.charCodeAt(0)]));
}

export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Extra locals after the parameters, as [count, type] runs. */
  readonly locals: ReadonlyArray<readonly [number, number]>;
  /** The instructions, ending with `op.end`. */
  readonly code: readonly number[];
}

/** A module exporting `memory` (minimum `memoryPages` pages of 64 KiB) and every function, each with a type of its own. */
export function moduleBytes(memoryPages: number, functions: readonly WasmFunction[]): Uint8Array {
  const body = (f: WasmFunction) => {
    const content = [...vector(f.locals.map(([count, t]) => [...unsignedLeb(count), t])), ...f.code];
    return [...unsignedLeb(content.length), ...content];
  };
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]))),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(5, vector([[0x00, ...unsignedLeb(memoryPages)]])),
    ...section(7, vector([[...name("memory"), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)])])),
    ...section(10, vector(functions.map(body))),
  ]);
}

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
}

/** An instance of `bytes`' module, or null where the runtime has no WebAssembly or does not accept the module (no SIMD). */
export function instantiate<Exports>(bytes: Uint8Array): Exports | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (!api || !api.validate(bytes)) return null;
  return new api.Instance(new api.Module(bytes)).exports as Exports;
}
