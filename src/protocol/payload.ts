/**
 * Payload encoding: turns any value a task may take or return into a msgpack-safe tree
 * plus a list of binary frames, and back. Binary data (NDArray blocks, typed arrays,
 * ArrayBuffers) never enters msgpack: it is replaced by a small marker holding the frame
 * index, and the frame is the original memory (a view, not a copy) on the way out and the
 * received buffer on the way in.
 *
 * Markers are single-key objects with a "$"-prefixed key; a user object that happens to
 * have exactly such a key is escaped with "$obj" so it round-trips unchanged.
 */
import { NDArray } from "../ndarray/ndarray.js";
import { type DType, dtypeInfo, isDType } from "../ndarray/dtype.js";
import { TesseraError } from "../core/errors.js";

export class PayloadError extends TesseraError {
  override name = "PayloadError";
}

/** An error as it crosses the wire: enough to re-raise it with the remote stack. */
export interface WireError {
  name: string;
  message: string;
  stack: string;
  /** The task whose execution raised it, when there is one. */
  taskKey?: string;
}

const typedArrayNames = [
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
] as const;
type TypedArrayName = (typeof typedArrayNames)[number];

const markerKeys = new Set(["$nd", "$ta", "$ab", "$err", "$map", "$set", "$obj", "$ref", "$date", "$undef"]);

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

/** Encodes `value`, appending its binary parts to `frames`. */
export function packPayload(value: unknown, frames: Uint8Array[]): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function") {
      throw new PayloadError(`cannot send a function (${value.name || "anonymous"}) as data; pass it as the task's function instead`);
    }
    if (typeof value === "symbol") throw new PayloadError(`cannot send a symbol (${String(value)}) as data`);
    if (value === undefined) return { $undef: 1 };
    return value;
  }
  if (value instanceof TaskRef) return { $ref: value.key };
  if (value instanceof NDArray) {
    // The wire carries C-ordered bytes: a contiguous block is sent from its own memory, a
    // strided view as a contiguous copy.
    frames.push(bytesOf(value.toTypedArray()));
    return { $nd: [value.dtype, [...value.shape], frames.length - 1] };
  }
  if (ArrayBuffer.isView(value)) {
    frames.push(bytesOf(value));
    const name = value.constructor.name === "Buffer" ? "Uint8Array" : value.constructor.name;
    if (!typedArrayNames.includes(name as TypedArrayName)) throw new PayloadError(`cannot send a ${name}`);
    return { $ta: [name, frames.length - 1] };
  }
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    frames.push(new Uint8Array(value));
    return { $ab: frames.length - 1 };
  }
  if (value instanceof Error) return { $err: toWireError(value) };
  if (Array.isArray(value)) return value.map((item) => packPayload(item, frames));
  if (value instanceof Map) {
    return { $map: [...value.entries()].map(([k, v]) => [packPayload(k, frames), packPayload(v, frames)]) };
  }
  if (value instanceof Set) return { $set: [...value].map((item) => packPayload(item, frames)) };
  if (value instanceof Date) return { $date: value.getTime() };
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys) out[key] = packPayload((value as Record<string, unknown>)[key], frames);
  if (keys.length === 1 && markerKeys.has(keys[0])) return { $obj: out };
  return out;
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
  for (const key of keys) out[key] = unpackPayload(record[key], frames, resolveRef);
  return out;
}

function frameAt(frames: readonly Uint8Array[], index: unknown): Uint8Array {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= frames.length) {
    throw new PayloadError(`payload refers to frame ${String(index)}, the message has ${frames.length}`);
  }
  return frames[index];
}

function unpackMarker(
  marker: string,
  body: unknown,
  frames: readonly Uint8Array[],
  resolveRef?: (key: string) => unknown,
): unknown {
  switch (marker) {
    case "$undef":
      return undefined;
    case "$ref": {
      if (typeof body !== "string") throw new PayloadError("a $ref marker must hold a key string");
      if (!resolveRef) throw new PayloadError(`payload refers to key ${body} where no references are allowed`);
      return resolveRef(body);
    }
    case "$nd": {
      if (!Array.isArray(body) || body.length !== 3 || !isDType(body[0]) || !Array.isArray(body[1])) {
        throw new PayloadError("malformed $nd marker");
      }
      const dtype = body[0] as DType;
      const shape = body[1] as number[];
      const frame = frameAt(frames, body[2]);
      const info = dtypeInfo(dtype);
      if (frame.byteLength % info.itemsize !== 0 || frame.byteOffset % info.itemsize !== 0) {
        throw new PayloadError(`frame of ${frame.byteLength} bytes does not hold whole ${dtype} elements`);
      }
      const data = new (info.array as Float64ArrayConstructor)(
        frame.buffer as ArrayBuffer, frame.byteOffset, frame.byteLength / info.itemsize,
      );
      let size = 1;
      for (const n of shape) {
        if (!Number.isInteger(n) || n < 0) throw new PayloadError(`malformed shape [${shape.join(", ")}]`);
        size *= n;
      }
      if (size !== data.length) throw new PayloadError(`shape [${shape.join(", ")}] does not match ${data.length} elements`);
      return new NDArray(data, shape, { dtype });
    }
    case "$ta": {
      if (!Array.isArray(body) || !typedArrayNames.includes(body[0] as TypedArrayName)) {
        throw new PayloadError("malformed $ta marker");
      }
      const frame = frameAt(frames, body[1]);
      const ctor = (globalThis as unknown as Record<string, Float64ArrayConstructor>)[body[0] as string];
      if (frame.byteLength % ctor.BYTES_PER_ELEMENT !== 0) throw new PayloadError("typed array frame has a partial element");
      if (frame.byteOffset % ctor.BYTES_PER_ELEMENT === 0) {
        return new ctor(frame.buffer as ArrayBuffer, frame.byteOffset, frame.byteLength / ctor.BYTES_PER_ELEMENT);
      }
      return new ctor(frame.slice().buffer);
    }
    case "$ab": {
      const frame = frameAt(frames, body);
      if (frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength) return frame.buffer;
      return frame.slice().buffer;
    }
    case "$err":
      return fromWireError(body);
    case "$map":
      if (!Array.isArray(body)) throw new PayloadError("malformed $map marker");
      return new Map(body.map((entry) => {
        if (!Array.isArray(entry) || entry.length !== 2) throw new PayloadError("malformed $map entry");
        return [unpackPayload(entry[0], frames, resolveRef), unpackPayload(entry[1], frames, resolveRef)];
      }));
    case "$set":
      if (!Array.isArray(body)) throw new PayloadError("malformed $set marker");
      return new Set(body.map((item) => unpackPayload(item, frames, resolveRef)));
    case "$date":
      return new Date(Number(body));
    case "$obj": {
      if (body === null || typeof body !== "object") throw new PayloadError("malformed $obj marker");
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(body)) out[key] = unpackPayload(item, frames, resolveRef);
      return out;
    }
    default:
      throw new PayloadError(`unknown marker ${marker}`);
  }
}

export function toWireError(error: unknown, taskKey?: string): WireError {
  if (error instanceof Error) {
    const wire: WireError = { name: error.name, message: error.message, stack: (error.stack ?? "").slice(0, 10_000) };
    const key = taskKey ?? (error as { taskKey?: string }).taskKey;
    if (key) wire.taskKey = key;
    return wire;
  }
  return { name: "Error", message: String(error), stack: "", ...(taskKey ? { taskKey } : {}) };
}

/** A remote error re-raised locally: same name and message, the remote stack, the task key. */
export class RemoteError extends Error {
  readonly taskKey: string | undefined;
  readonly remoteStack: string;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.taskKey = wire.taskKey;
    this.remoteStack = wire.stack;
    const where = wire.taskKey ? ` (task ${wire.taskKey})` : "";
    this.stack = `${wire.name}: ${wire.message}${where}\n--- remote traceback ---\n${wire.stack}`;
  }
}

export function fromWireError(body: unknown): RemoteError {
  const record = (body ?? {}) as Partial<WireError>;
  return new RemoteError({
    name: typeof record.name === "string" ? record.name : "Error",
    message: typeof record.message === "string" ? record.message : "remote error",
    stack: typeof record.stack === "string" ? record.stack : "",
    ...(typeof record.taskKey === "string" ? { taskKey: record.taskKey } : {}),
  });
}
