/**
 * Payload encoding: turns any value a task may take or return into a msgpack-safe tree
 * plus a list of binary frames, and back. Binary data (NDArray blocks, typed arrays,
 * ArrayBuffers) never enters msgpack: it is replaced by a small marker holding the frame
 * index, and the frame is the original memory (a view, not a copy) on the way out and the
 * received buffer on the way in.
 *
 * A value either travels exactly or is refused by name, never changed on the way (msgpack
 * alone would drop functions, turn -0 into 0, replace lone surrogates, rename "__proto__"
 * keys and fail on BigInts beyond 64 bits). What travels: null, undefined, booleans, numbers
 * (NaN, ±Infinity and -0 included), BigInts of any size, strings (lone surrogates included),
 * arrays, plain objects (any own string keys), Map, Set, Date, RegExp, Errors (re-raised as
 * RemoteError with name, message and stack), NDArrays, typed arrays, DataView, ArrayBuffer,
 * SharedArrayBuffer and TaskRefs. Anything else (a symbol, a function, an instance of some
 * other class, an object with symbol keys, nesting deeper than `maxPayloadDepth` levels of
 * the encoded tree, which is also how a structure that contains itself shows) raises
 * PayloadError naming what it is and where it sits in the value. Markers are single-key
 * objects with a "$"-prefixed key; a user object with exactly such a key is escaped ("$obj").
 */
import { NDArray } from "../ndarray/ndarray.js";
import { newSharedBuffer } from "../ndarray/allocation-ledger.js";
import { type DType, dtypeInfo, isDType } from "../ndarray/dtype.js";
import { TesseraError } from "../core/errors.js";
import { fromWireError, toWireError } from "./wire-error.js";
// Errors cross the wire inside payloads too; their shape lives in wire-error.ts.
export { RemoteError, fromWireError, toWireError, type WireError } from "./wire-error.js";

export class PayloadError extends TesseraError {
  override name = "PayloadError";
}

/**
 * Deepest encoded tree (an array adds 1 level, an object 2, a Set 2, a Map 3): msgpack
 * encodes and decodes recursively and runs out of stack near 1,200 levels, and a structure
 * that contains itself must end somewhere.
 */
export const maxPayloadDepth = 500;

const typedArrayNames = [
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
] as const;
type TypedArrayName = (typeof typedArrayNames)[number];
type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayBufferView;

/** Typed arrays by exact prototype: a subclass is some other class, refused like any other. */
const typedArrayByPrototype = new Map<object, TypedArrayName>([
  ...typedArrayNames.map((name) => [(globalThis as unknown as Record<string, { prototype: object }>)[name].prototype, name] as [object, TypedArrayName]),
  [Buffer.prototype, "Uint8Array"], // Node's Buffer is a Uint8Array; it arrives as one
]);

const markerKeys = new Set([
  "$nd", "$ta", "$dv", "$ab", "$sab", "$err", "$map", "$set", "$obj", "$kv", "$ref", "$date", "$re", "$undef", "$big", "$neg0", "$s16",
]);

/** Whether a string is valid UTF-16 (no lone surrogate), which msgpack's UTF-8 needs. */
export function isWellFormedText(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * A reference to another task's result inside task arguments: the worker substitutes the
 * dependency's value before calling the function.
 */
export class TaskRef {
  constructor(readonly key: string) {}
}

/** One step from a container into a part: an array index, a property key, a Map or Set entry. */
type PathStep = number | string | { entry: "Map key" | "Map value" | "Set item"; index: number };

interface PackContext {
  /** Where binary parts go; null checks only (nothing is copied, frames are placeholders). */
  frames: Uint8Array[] | null;
  /** What is being packed, for error messages ("the result of task x-1"). */
  what: string;
  /** The way from the root to the value being packed (formatted only for an error). */
  path: PathStep[];
  /** The containers on that way (containers[i] was reached by path[0..i)). */
  containers: object[];
}

/**
 * Encodes `value`, appending its binary parts to `frames`. `what` names the value in the
 * error raised for a part that cannot travel ("the arguments of task x-1").
 */
export function packPayload(value: unknown, frames: Uint8Array[], what = "a value"): unknown {
  return pack(value, { frames, what, path: [], containers: [] }, 0);
}

/** Raises the PayloadError packPayload would raise for `value`, without encoding it. */
export function checkSendable(value: unknown, what: string): void {
  pack(value, { frames: null, what, path: [], containers: [] }, 0);
}

function formatStep(step: PathStep): string {
  if (typeof step === "number") return `[${step}]`;
  if (typeof step === "object") return `[${step.entry} ${step.index}]`;
  return /^[A-Za-z_$][\w$]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step.length > 40 ? `${step.slice(0, 40)}…` : step)}]`;
}

function refuse(context: PackContext, description: string, path: PathStep[] = context.path): PayloadError {
  const shown = path.length <= 12 ? path.map(formatStep) : [...path.slice(0, 5).map(formatStep), "…", ...path.slice(-5).map(formatStep)];
  const where = path.length === 0 ? "it" : `the part at ${shown.join("")}`;
  return new PayloadError(
    `cannot send ${context.what}: ${where} is ${description}. Values that travel are plain data (numbers, strings, BigInts, ` +
      "arrays, plain objects, Map, Set, Date, RegExp), NDArrays, typed arrays and ArrayBuffers",
  );
}

function addFrame(context: PackContext, frame: () => Uint8Array): number {
  if (!context.frames) return 0;
  context.frames.push(frame());
  return context.frames.length - 1;
}

/** Packs a part of a container; `depth` is where the part's tree will sit in the encoded tree. */
function packChild(value: unknown, context: PackContext, step: PathStep, depth: number): unknown {
  context.path.push(step);
  const packed = pack(value, context, depth);
  context.path.pop();
  return packed;
}

/**
 * Past the depth limit: a structure that contains itself if a container repeats on the way
 * (named at its first repeat), else one nested too deeply. Looked for only here, so that
 * packing pays nothing for it.
 */
function tooDeep(context: PackContext): PayloadError {
  const seen = new Set<object>();
  for (let i = 0; i < context.containers.length; i++) {
    if (seen.has(context.containers[i])) {
      return refuse(context, "the value that contains it again (a structure that contains itself)", context.path.slice(0, i));
    }
    seen.add(context.containers[i]);
  }
  return refuse(context, `nested too deeply to travel (more than ${maxPayloadDepth} levels encoded)`);
}

function pack(value: unknown, context: PackContext, depth: number): unknown {
  switch (typeof value) {
    case "number":
      return Object.is(value, -0) ? { $neg0: 1 } : value;
    case "string":
      return isWellFormedText(value) ? value : { $s16: addFrame(context, () => utf16Frame(value)) };
    case "boolean":
      return value;
    case "undefined":
      return { $undef: 1 };
    case "bigint":
      // Hexadecimal: linear both ways, for BigInts of any size.
      return { $big: value < 0n ? `-${(-value).toString(16)}` : value.toString(16) };
    case "symbol":
      throw refuse(context, `a Symbol (${String(value)})`);
    case "function":
      throw refuse(context, `a function (${(value as { name?: string }).name || "anonymous"}); functions travel as a task's function, not as data`);
  }
  if (value === null) return null;
  if (depth >= maxPayloadDepth) throw tooDeep(context);
  context.containers.push(value as object);
  const packed = packObject(value as object, context, depth);
  context.containers.pop();
  return packed;
}

function packObject(value: object, context: PackContext, depth: number): unknown {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Array.prototype) {
    const list = value as unknown[];
    const out = new Array<unknown>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = packChild(list[i], context, i, depth + 1);
    return out;
  }
  if (prototype === Object.prototype || prototype === null) return packPlainObject(value as Record<string, unknown>, context, depth);
  if (value instanceof TaskRef) return { $ref: value.key };
  if (value instanceof NDArray) {
    // The wire carries C-ordered bytes: a contiguous block is sent from its own memory, a
    // strided view as a contiguous copy.
    return { $nd: [value.dtype, [...value.shape], addFrame(context, () => bytesOf(value.toStorage()))] };
  }
  const typedArray = typedArrayByPrototype.get(prototype as object);
  if (typedArray) return { $ta: [typedArray, addFrame(context, () => bytesOf(value as ArrayBufferView))] };
  if (prototype === DataView.prototype) return { $dv: addFrame(context, () => bytesOf(value as DataView)) };
  if (prototype === ArrayBuffer.prototype) return { $ab: addFrame(context, () => new Uint8Array(value as ArrayBuffer)) };
  if (prototype === SharedArrayBuffer.prototype) return { $sab: addFrame(context, () => new Uint8Array(value as SharedArrayBuffer)) };
  if (value instanceof Error) return { $err: toWireError(value) };
  if (prototype === Map.prototype) {
    const entries: unknown[] = [];
    let i = 0;
    for (const [key, item] of value as Map<unknown, unknown>) {
      entries.push([packChild(key, context, { entry: "Map key", index: i }, depth + 3), packChild(item, context, { entry: "Map value", index: i }, depth + 3)]);
      i++;
    }
    return { $map: entries };
  }
  if (prototype === Set.prototype) {
    const items: unknown[] = [];
    let i = 0;
    for (const item of value as Set<unknown>) items.push(packChild(item, context, { entry: "Set item", index: i++ }, depth + 2));
    return { $set: items };
  }
  if (prototype === Date.prototype) return { $date: (value as Date).getTime() };
  if (prototype === RegExp.prototype) return { $re: [(value as RegExp).source, (value as RegExp).flags] };
  const className = (prototype as { constructor?: { name?: string } }).constructor?.name || "an anonymous class";
  throw refuse(context, `an instance of ${className} (only plain objects keep their meaning on the way; convert it to one, or to an NDArray)`);
}

/** An object's values sit 2 levels down (the object, and a $obj wrapper it may need); 3 under $kv. */
function packPlainObject(value: Record<string, unknown>, context: PackContext, depth: number): unknown {
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw refuse(context, `an object with Symbol keys (${Object.getOwnPropertySymbols(value).map(String).join(", ")})`);
  }
  const keys = Object.keys(value);
  // Keys msgpack would change ("__proto__" is renamed by the decoder, lone surrogates are
  // replaced) travel as packed values in an entry list instead.
  if (keys.some((key) => key === "__proto__" || !isWellFormedText(key))) {
    return { $kv: keys.map((key) => [pack(key, context, depth + 3), packChild(value[key], context, key, depth + 3)]) };
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = packChild(value[key], context, key, depth + 2);
  if (keys.length === 1 && markerKeys.has(keys[0])) return { $obj: out };
  return out;
}

/** A string's UTF-16 code units as bytes: lone surrogates survive, unlike in UTF-8. */
function utf16Frame(text: string): Uint8Array {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return bytesOf(units);
}

function textFromUtf16(frame: Uint8Array): string {
  if (frame.byteLength % 2 !== 0) throw new PayloadError("a UTF-16 text frame has an odd number of bytes");
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const parts: string[] = [];
  const units = new Array<number>(Math.min(8192, frame.byteLength / 2));
  for (let start = 0; start < frame.byteLength / 2; start += 8192) {
    const count = Math.min(8192, frame.byteLength / 2 - start);
    units.length = count;
    for (let i = 0; i < count; i++) units[i] = view.getUint16(2 * (start + i), true);
    parts.push(String.fromCharCode(...units));
  }
  return parts.join("");
}

/** Decodes a tree made by packPayload; `resolveRef` supplies values for `$ref` markers. */
export function unpackPayload(
  tree: unknown,
  frames: readonly Uint8Array[],
  resolveRef?: (key: string) => unknown,
): unknown {
  if (tree === null || typeof tree !== "object") return tree;
  if (Array.isArray(tree)) return tree.map((item) => unpackPayload(item, frames, resolveRef));
  if (tree instanceof Uint8Array) return tree;
  const record = tree as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && markerKeys.has(keys[0])) {
    return unpackMarker(keys[0], record[keys[0]], frames, resolveRef);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) setOwn(out, key, unpackPayload(record[key], frames, resolveRef));
  return out;
}

/** `out[key] = value`, except that "__proto__" becomes an own property, not the prototype. */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function frameAt(frames: readonly Uint8Array[], index: unknown): Uint8Array {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= frames.length) {
    throw new PayloadError(`payload refers to frame ${String(index)}, the message has ${frames.length}`);
  }
  return frames[index];
}

/** An ArrayBuffer or SharedArrayBuffer (as sent) holding exactly the frame's bytes. */
function bufferOf(frame: Uint8Array, shared: boolean): ArrayBufferLike {
  const whole = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength;
  if (whole && (frame.buffer instanceof SharedArrayBuffer) === shared) return frame.buffer;
  const copy = shared ? newSharedBuffer(frame.byteLength) : new ArrayBuffer(frame.byteLength);
  new Uint8Array(copy).set(frame);
  return copy;
}

function unpackMarker(
  marker: string,
  body: unknown,
  frames: readonly Uint8Array[],
  resolveRef?: (key: string) => unknown,
): unknown {
  const inner = (item: unknown) => unpackPayload(item, frames, resolveRef);
  switch (marker) {
    case "$undef":
      return undefined;
    case "$neg0":
      return -0;
    case "$big": {
      if (typeof body !== "string" || !/^-?[0-9a-f]+$/.test(body)) throw new PayloadError("malformed $big marker");
      return body.startsWith("-") ? -BigInt(`0x${body.slice(1)}`) : BigInt(`0x${body}`);
    }
    case "$s16":
      return textFromUtf16(frameAt(frames, body));
    case "$ref": {
      if (typeof body !== "string") throw new PayloadError("a $ref marker must hold a key string");
      if (!resolveRef) throw new PayloadError(`payload refers to key ${body} where no references are allowed`);
      return resolveRef(body);
    }
    case "$nd":
      return unpackNDArray(body, frames);
    case "$ta": {
      if (!Array.isArray(body) || !typedArrayNames.includes(body[0] as TypedArrayName)) {
        throw new PayloadError("malformed $ta marker");
      }
      const frame = frameAt(frames, body[1]);
      const ctor = (globalThis as unknown as Record<string, TypedArrayConstructor & { BYTES_PER_ELEMENT: number }>)[body[0] as string];
      if (frame.byteLength % ctor.BYTES_PER_ELEMENT !== 0) throw new PayloadError("typed array frame has a partial element");
      if (frame.byteOffset % ctor.BYTES_PER_ELEMENT === 0) {
        return new ctor(frame.buffer, frame.byteOffset, frame.byteLength / ctor.BYTES_PER_ELEMENT);
      }
      return new ctor(frame.slice().buffer);
    }
    case "$dv": {
      const frame = frameAt(frames, body);
      return new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    }
    case "$ab":
      return bufferOf(frameAt(frames, body), false);
    case "$sab":
      return bufferOf(frameAt(frames, body), true);
    case "$err":
      return fromWireError(body);
    case "$map":
      if (!Array.isArray(body)) throw new PayloadError("malformed $map marker");
      return new Map(body.map((entry) => {
        if (!Array.isArray(entry) || entry.length !== 2) throw new PayloadError("malformed $map entry");
        return [inner(entry[0]), inner(entry[1])];
      }));
    case "$set":
      if (!Array.isArray(body)) throw new PayloadError("malformed $set marker");
      return new Set(body.map(inner));
    case "$date":
      return new Date(Number(body));
    case "$re": {
      if (!Array.isArray(body) || typeof body[0] !== "string" || typeof body[1] !== "string") throw new PayloadError("malformed $re marker");
      try {
        return new RegExp(body[0], body[1]);
      } catch (error) {
        throw new PayloadError(`malformed $re marker: ${(error as Error).message}`, { cause: error });
      }
    }
    case "$kv": {
      if (!Array.isArray(body)) throw new PayloadError("malformed $kv marker");
      const out: Record<string, unknown> = {};
      for (const entry of body) {
        const key = Array.isArray(entry) && entry.length === 2 ? inner(entry[0]) : undefined;
        if (typeof key !== "string") throw new PayloadError("malformed $kv entry");
        setOwn(out, key, inner((entry as unknown[])[1]));
      }
      return out;
    }
    case "$obj": {
      if (body === null || typeof body !== "object") throw new PayloadError("malformed $obj marker");
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(body)) setOwn(out, key, inner(item));
      return out;
    }
    default:
      throw new PayloadError(`unknown marker ${marker}`);
  }
}

function unpackNDArray(body: unknown, frames: readonly Uint8Array[]): NDArray {
  if (!Array.isArray(body) || body.length !== 3 || !isDType(body[0]) || !Array.isArray(body[1])) {
    throw new PayloadError("malformed $nd marker");
  }
  const dtype = body[0] as DType;
  const shape = body[1] as number[];
  const frame = frameAt(frames, body[2]);
  const info = dtypeInfo(dtype);
  const slotBytes = info.itemsize / info.lanes; // a complex element is two slots (re, im): aligned per slot
  if (frame.byteLength % info.itemsize !== 0 || frame.byteOffset % slotBytes !== 0) {
    throw new PayloadError(`frame of ${frame.byteLength} bytes does not hold whole ${dtype} elements`);
  }
  const data = new (info.array as Float64ArrayConstructor)(frame.buffer as ArrayBuffer, frame.byteOffset, frame.byteLength / slotBytes);
  let size = 1;
  for (const n of shape) {
    if (!Number.isInteger(n) || n < 0) throw new PayloadError(`malformed shape [${shape.join(", ")}]`);
    size *= n;
  }
  if (size * info.lanes !== data.length) throw new PayloadError(`shape [${shape.join(", ")}] does not match ${data.length / info.lanes} elements`);
  return new NDArray(data, shape, { dtype });
}
