/**
 * Feeding a value to a hash faithfully: two values that differ give different byte streams,
 * so tokens made from them differ. Every part is tagged and length-prefixed (no two shapes
 * spell alike), numbers keep -0 apart from 0 and NaN apart from null, strings are hashed by
 * their UTF-16 code units when they hold a lone surrogate (UTF-8 would replace it), Maps and
 * Sets by their entries in order, typed arrays by their kind and bytes (only the bytes of the
 * view), ArrayBuffers by their bytes, Dates by their time, RegExps by source and flags.
 *
 * A class instance is hashed by its class name and its own enumerable properties (an NDArray
 * is its data, shape, strides and dtype). What the walk cannot see into is refused with a
 * HashError naming what it is and where it sits: symbols, functions (two closures with the
 * same source may capture different values), objects with symbol keys, weak collections,
 * promises, boxed primitives, instances without any visible state, and a value that contains
 * itself.
 */
import type { Hash } from "node:crypto";
import { TesseraError } from "./errors.js";

/** A value that cannot be hashed faithfully. */
export class HashError extends TesseraError {
  override name = "HashError";
}

/** Objects whose state no property walk can see. */
const opaque: ReadonlyArray<[new (...args: never[]) => object, string]> = [
  [WeakMap, "a WeakMap"], [WeakSet, "a WeakSet"], [WeakRef, "a WeakRef"], [Promise, "a Promise"],
  [Number, "a boxed Number"], [String, "a boxed String"], [Boolean, "a boxed Boolean"],
];

type Step = string | number;

function where(path: readonly Step[]): string {
  if (path.length === 0) return "the value itself";
  return path.map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`)).join("");
}

function updateText(hash: Hash, tag: string, text: string): void {
  if ((text as string & { isWellFormed(): boolean }).isWellFormed()) hash.update(`${tag}${text.length}:`).update(text);
  else hash.update(`${tag}16:${text.length}:`).update(Buffer.from(text, "utf16le"));
}

function updateBytes(hash: Hash, tag: string, view: ArrayBufferView | ArrayBufferLike): void {
  const bytes = ArrayBuffer.isView(view) ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(view);
  hash.update(`${tag}${bytes.byteLength}:`).update(bytes);
}

/**
 * Feeds `value` to `hash` (see the module comment). `what` names the value in errors
 * ("the options of gaussianFilter").
 */
export function hashValue(hash: Hash, value: unknown, what = "the value"): void {
  const path: Step[] = [];
  const ancestors = new Set<object>();
  const refuse = (description: string): never => {
    throw new HashError(`${what} cannot be given a faithful token: ${description} at ${where(path)}. Pass plain data (numbers, strings, arrays, plain objects, Maps, Sets, typed arrays) instead`);
  };
  const visit = (item: unknown): void => {
    switch (typeof item) {
      case "undefined": hash.update("u"); return;
      case "boolean": hash.update(item ? "t" : "f"); return;
      case "number": hash.update(`#${Object.is(item, -0) ? "-0" : String(item)};`); return;
      case "bigint": hash.update(`i${item.toString()};`); return;
      case "string": updateText(hash, "s", item); return;
      case "symbol": refuse(`a symbol (${item.toString()})`); return;
      case "function": refuse(`a function (${item.name || "anonymous"})`); return;
    }
    if (item === null) {
      hash.update("n");
      return;
    }
    const object = item as object;
    if (ancestors.has(object)) refuse("a value that contains itself");
    ancestors.add(object);
    visitObject(object);
    ancestors.delete(object);
  };
  const visitObject = (object: object): void => {
    if (Array.isArray(object)) {
      hash.update(`[${object.length}:`);
      for (let i = 0; i < object.length; i++) {
        path.push(i);
        visit(object[i]);
        path.pop();
      }
      hash.update("]");
      return;
    }
    if (ArrayBuffer.isView(object)) {
      updateBytes(hash, `v${object instanceof DataView ? "DataView" : Object.getPrototypeOf(object)?.constructor?.name ?? "view"}:`, object);
      return;
    }
    if (object instanceof ArrayBuffer) return updateBytes(hash, "ab", object);
    if (typeof SharedArrayBuffer !== "undefined" && object instanceof SharedArrayBuffer) return updateBytes(hash, "sab", object);
    if (object instanceof Date) {
      hash.update(`D${object.getTime()};`);
      return;
    }
    if (object instanceof RegExp) {
      updateText(hash, "R", `${object.flags}/${object.source}`);
      return;
    }
    if (object instanceof Map) {
      hash.update(`M${object.size}:`);
      let i = 0;
      for (const [key, entry] of object) {
        path.push(`<Map key ${i}>`);
        visit(key);
        path.pop();
        path.push(`<Map value ${i++}>`);
        visit(entry);
        path.pop();
      }
      return;
    }
    if (object instanceof Set) {
      hash.update(`S${object.size}:`);
      let i = 0;
      for (const entry of object) {
        path.push(`<Set item ${i++}>`);
        visit(entry);
        path.pop();
      }
      return;
    }
    for (const [type, description] of opaque) if (object instanceof type) refuse(description);
    if (Object.getOwnPropertySymbols(object).length > 0) refuse("an object with symbol keys");
    const prototype = Object.getPrototypeOf(object) as object | null;
    const plain = prototype === Object.prototype || prototype === null;
    const keys = Object.keys(object).sort();
    let className = "";
    if (!plain) {
      className = (prototype as { constructor?: { name?: string } }).constructor?.name ?? "anonymous class";
      if (object instanceof Error) {
        // Name and message are not enumerable, but they are what an error is.
        updateText(hash, "E", `${object.name}: ${object.message}`);
      } else if (keys.length === 0) {
        refuse(`an instance of ${className} without visible state`);
      }
    }
    updateText(hash, "{", className);
    hash.update(`${keys.length}:`);
    for (const key of keys) {
      updateText(hash, "k", key);
      path.push(key);
      visit((object as Record<string, unknown>)[key]);
      path.pop();
    }
    hash.update("}");
  };
  visit(value);
}
