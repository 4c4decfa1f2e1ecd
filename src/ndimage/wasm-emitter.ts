/**
 * A minimal WebAssembly binary writer for straight-line SIMD kernels built at run time
 * (simd-kernels.ts): one function, i32 parameters, v128 locals, an imported memory. Only the
 * instructions those kernels use are here. Encodings follow the WebAssembly core and SIMD
 * specifications (opcodes after the 0xFD prefix are LEB128 u32).
 */
import { signedLeb, unsignedLeb } from "../ndarray/wasm-module-builder.js";

/** Bytes of a function body under construction. */
export class CodeWriter {
  private readonly bytes: number[] = [];

  raw(...values: number[]): this {
    this.bytes.push(...values);
    return this;
  }

  u32(value: number): this {
    this.bytes.push(...unsignedLeb(value));
    return this;
  }

  i32Const(value: number): this {
    this.bytes.push(0x41, ...signedLeb(value));
    return this;
  }

  localGet(index: number): this {
    return this.raw(0x20).u32(index);
  }

  localSet(index: number): this {
    return this.raw(0x21).u32(index);
  }

  localTee(index: number): this {
    return this.raw(0x22).u32(index);
  }

  /** A SIMD instruction (0xFD prefix) with its opcode. */
  simd(opcode: number): this {
    return this.raw(0xfd).u32(opcode);
  }

  v128Load(offset: number): this {
    return this.simd(0x00).u32(0).u32(offset);
  }

  v128Store(offset: number): this {
    return this.simd(0x0b).u32(0).u32(offset);
  }

  v128Const(bytes: Uint8Array): this {
    return this.simd(0x0c).raw(...bytes);
  }

  toBytes(): number[] {
    return this.bytes;
  }
}

export const op = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d,
  i32Add: 0x6a, i32Sub: 0x6b, i32Eqz: 0x45,
} as const;

/** SIMD opcodes (after 0xFD). pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a. */
export const simdOp = {
  v128And: 0x4e,
  f32x4Pmin: 0xea, f32x4Pmax: 0xeb,
  f64x2Pmin: 0xf6, f64x2Pmax: 0xf7,
  f64x2Add: 0xf0, f64x2Mul: 0xf2,
} as const;

export const valueType = { i32: 0x7f, v128: 0x7b } as const;

/** A module exporting `run` with `params` i32 parameters and `v128Locals` v128 locals; memory imported as env.memory. */
export function moduleBytes(params: number, v128Locals: number, body: CodeWriter): Uint8Array {
  const type = [0x60, ...unsignedLeb(params), ...new Array<number>(params).fill(valueType.i32), 0x00];
  const typeSection = section(1, [1, ...type]);
  const importSection = section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, 0x00]);
  const functionSection = section(3, [1, 0]);
  const exportSection = section(7, [1, ...name("run"), 0x00, 0]);
  const locals = v128Locals > 0 ? [1, ...unsignedLeb(v128Locals), valueType.v128] : [0];
  const code = [...locals, ...body.toBytes(), op.end];
  const codeSection = section(10, [1, ...unsignedLeb(code.length), ...code]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSection, ...importSection, ...functionSection, ...exportSection, ...codeSection]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, "utf8")];
  return [...unsignedLeb(bytes.length), ...bytes];
}
