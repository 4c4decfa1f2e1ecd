/**
 * The `info` file of an npy stack (Dask's to_npy_stack / from_npy_stack): Dask pickles the
 * dict {"chunks": tuple of tuples, "dtype": numpy.dtype, "axis": int} there. Reading it never
 * runs pickle: a tiny interpreter knows only the opcodes such a dict is made of (protocols 2
 * to 5: dicts, tuples, strings, integers, None, booleans, memo) and one global, numpy.dtype,
 * which it records as a descr instead of calling. Any other opcode or global is refused
 * (NpyStackError), so a file that is not this dict cannot make it do anything. Written as
 * protocol 2 with the same opcodes, so that Dask's from_npy_stack reads tessera's stacks.
 */
import { TesseraError } from "../core/errors.js";

export class NpyStackError extends TesseraError {
  override name = "NpyStackError";
}

export interface NpyStackInfo {
  chunks: number[][];
  /** NumPy's descr: byte order and type code ("<f8"). */
  descr: string;
  axis: number;
}

const dtypeGlobal = { global: "numpy.dtype" } as const;
type Value = null | boolean | number | string | Value[] | Map<string, Value> | typeof dtypeGlobal | { descr: string; order: string };
const mark = Symbol("mark");

/** The dict in a pickled `info`, read without executing anything. */
export function readStackInfo(bytes: Uint8Array, what: string): NpyStackInfo {
  const stack: Array<Value | typeof mark> = [];
  const memo = new Map<number, Value>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const fail = (why: string): never => {
    throw new NpyStackError(`${what}: the info file is not the pickled dict Dask's to_npy_stack writes (${why})`);
  };
  const need = (n: number) => (at + n <= bytes.length ? at : fail("truncated"));
  const text = (start: number, n: number) => new TextDecoder().decode(bytes.subarray(start, start + n));
  const popMark = (): Value[] => {
    const i = stack.lastIndexOf(mark);
    if (i < 0) fail("no mark");
    return stack.splice(i).slice(1) as Value[];
  };
  const pop = (): Value => (stack.length === 0 || stack[stack.length - 1] === mark ? fail("empty stack") : (stack.pop() as Value));
  for (;;) {
    const op = bytes[need(1)];
    at++;
    switch (op) {
      case 0x80: need(1); at += 1; break; // PROTO
      case 0x95: need(8); at += 8; break; // FRAME
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x28: stack.push(mark); break; // MARK
      case 0x8c: { const n = bytes[need(1)]; at += 1; need(n); stack.push(text(at, n)); at += n; break; } // SHORT_BINUNICODE
      case 0x58: { const n = view.getUint32(need(4), true); at += 4; need(n); stack.push(text(at, n)); at += n; break; } // BINUNICODE
      case 0x4b: stack.push(bytes[need(1)]); at += 1; break; // BININT1
      case 0x4d: stack.push(view.getUint16(need(2), true)); at += 2; break; // BININT2
      case 0x4a: stack.push(view.getInt32(need(4), true)); at += 4; break; // BININT
      case 0x8a: { // LONG1: little-endian two's complement of n bytes
        const n = bytes[need(1)];
        at += 1;
        need(n);
        let value = 0n;
        for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i]);
        if (n > 0 && bytes[at + n - 1] >= 0x80) value -= 1n << BigInt(8 * n);
        at += n;
        if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) fail("an integer beyond 2^53");
        stack.push(Number(value));
        break;
      }
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push([pop(), b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push([pop(), b, c]); break; } // TUPLE3
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x94: memo.set(memo.size, stack[stack.length - 1] as Value); break; // MEMOIZE
      case 0x71: memo.set(bytes[need(1)], stack[stack.length - 1] as Value); at += 1; break; // BINPUT
      case 0x72: memo.set(view.getUint32(need(4), true), stack[stack.length - 1] as Value); at += 4; break; // LONG_BINPUT
      case 0x68: { const v = memo.get(bytes[need(1)]); at += 1; stack.push(v === undefined ? fail("unknown memo") : v); break; } // BINGET
      case 0x6a: { const v = memo.get(view.getUint32(need(4), true)); at += 4; stack.push(v === undefined ? fail("unknown memo") : v); break; } // LONG_BINGET
      case 0x93: { const name = pop(); const module = pop(); if (module !== "numpy" || name !== "dtype") fail(`the global ${String(module)}.${String(name)}`); stack.push(dtypeGlobal); break; } // STACK_GLOBAL
      case 0x63: { // GLOBAL "module\nname\n"
        const end1 = bytes.indexOf(0x0a, at);
        const end2 = end1 < 0 ? -1 : bytes.indexOf(0x0a, end1 + 1);
        if (end2 < 0) fail("truncated global");
        const global = `${text(at, end1 - at)}.${text(end1 + 1, end2 - end1 - 1)}`;
        if (global !== "numpy.dtype") fail(`the global ${global}`);
        at = end2 + 1;
        stack.push(dtypeGlobal);
        break;
      }
      case 0x52: { // REDUCE: only numpy.dtype(code, False, True), recorded, not called
        const args = pop();
        const fn = pop();
        if (fn !== dtypeGlobal || !Array.isArray(args) || typeof args[0] !== "string") fail("a call other than numpy.dtype(code)");
        stack.push({ descr: (args as string[])[0], order: "" });
        break;
      }
      case 0x62: { // BUILD: a dtype's state tuple, whose second item is its byte order
        const state = pop();
        const target = stack[stack.length - 1];
        if (target === mark || target === null || typeof target !== "object" || !("descr" in target) || !Array.isArray(state) || typeof state[1] !== "string") fail("a BUILD other than a dtype's state");
        (target as { order: string }).order = (state as string[])[1];
        break;
      }
      case 0x73: { const v = pop(); const k = pop(); const d = stack[stack.length - 1]; if (!(d instanceof Map) || typeof k !== "string") fail("SETITEM"); (d as Map<string, Value>).set(k as string, v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        const d = stack[stack.length - 1];
        if (!(d instanceof Map) || items.length % 2 !== 0) fail("SETITEMS");
        for (let i = 0; i < items.length; i += 2) (d as Map<string, Value>).set(String(items[i]), items[i + 1]);
        break;
      }
      case 0x2e: return infoOf(pop(), fail); // STOP
      default: fail(`opcode 0x${(op ?? 0).toString(16)} at byte ${at - 1}`);
    }
  }
}

function infoOf(value: Value, fail: (why: string) => never): NpyStackInfo {
  if (!(value instanceof Map)) return fail("not a dict");
  const chunks = value.get("chunks");
  const dtype = value.get("dtype");
  const axis = value.get("axis");
  if (!Array.isArray(chunks) || !chunks.every((c) => Array.isArray(c) && c.every((n) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0))) fail("chunks is not a tuple of tuples of sizes");
  if (dtype === null || typeof dtype !== "object" || !("descr" in dtype)) fail("dtype is not a numpy dtype");
  if (typeof axis !== "number" || !Number.isInteger(axis) || axis < 0 || axis >= (chunks as Value[]).length) fail(`axis ${JSON.stringify(axis)} is not an axis of the chunks`);
  const { descr, order } = dtype as { descr: string; order: string };
  // dtype("f8") with byte order "<" is "<f8"; "|" marks byte-order-free types ("b1").
  return { chunks: chunks as number[][], descr: /^[<>|=]/.test(descr) ? descr : `${order || "<"}${descr}`, axis: axis as number };
}

/** The pickled dict Dask's from_npy_stack reads (protocol 2: only opcodes readStackInfo knows). */
export function writeStackInfo(info: NpyStackInfo): Uint8Array {
  const out: number[] = [0x80, 2, 0x7d, 0x28];
  const str = (s: string) => {
    const b = new TextEncoder().encode(s);
    out.push(0x58, b.length & 255, (b.length >> 8) & 255, (b.length >> 16) & 255, b.length >>> 24, ...b);
  };
  const int = (n: number) => {
    if (n >= 0 && n < 2 ** 31) out.push(0x4a, n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);
    else {
      let v = BigInt(n);
      const b: number[] = [];
      for (let i = 0; i < 8; i++, v >>= 8n) b.push(Number(v & 255n));
      out.push(0x8a, 8, ...b);
    }
  };
  str("chunks");
  out.push(0x28);
  for (const sizes of info.chunks) {
    out.push(0x28);
    sizes.forEach(int);
    out.push(0x74);
  }
  out.push(0x74);
  str("dtype");
  out.push(0x63, ...new TextEncoder().encode("numpy\ndtype\n"));
  str(info.descr.slice(1));
  out.push(0x89, 0x88, 0x87, 0x52);
  // numpy's dtype state: (3, byteorder, None, None, None, -1, -1, 0).
  out.push(0x28);
  int(3);
  str(info.descr[0]);
  out.push(0x4e, 0x4e, 0x4e, 0x4a, 255, 255, 255, 255, 0x4a, 255, 255, 255, 255);
  int(0);
  out.push(0x74, 0x62);
  str("axis");
  int(info.axis);
  out.push(0x75, 0x2e);
  return new Uint8Array(out);
}
