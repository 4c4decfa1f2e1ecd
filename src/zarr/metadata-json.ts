/**
 * JSON in and out of Zarr metadata files.
 *
 * Output matches zarr-python 2's `json.dumps(indent=4, sort_keys=True, ensure_ascii=True)`
 * byte for byte (keys sorted at every level, non-ASCII escaped, no trailing newline), so a
 * `.zarray` written by tessera reads like one written by Python. Non-finite numbers become
 * the strings "NaN", "Infinity" and "-Infinity", as both Zarr versions spell a fill value. A
 * value wrapped in PythonFloat is written as Python writes a float (`0.0`, `1e-05`, `1e+16`):
 * zarr-python writes a float array's fill value that way. In attributes a -0 is written
 * `-0.0` and other non-integers by Python's float repr (attributesJson), as Python writes them;
 * in a v2 `.zattrs` a non-finite number is Python's bare NaN, Infinity or -Infinity.
 *
 * Values JSON cannot hold as given (a bigint, undefined, a function, a Map or Date, a cycle)
 * are found before anything is written (findNonJsonValue): JSON.stringify would throw on
 * some and silently drop or change the others, and a replacing write has deleted the old
 * node by the time its metadata is written, so the check belongs to the write's checks.
 */
import { randomBytes } from "node:crypto";
import { InvalidOptionError } from "../core/errors.js";
import { ZarrMetadataError } from "./errors.js";

/**
 * A number to be written the way Python's json module writes a float. A non-finite one is the
 * string "NaN", "Infinity" or "-Infinity" (a fill value, as the Zarr specs spell it), or with
 * `bare` what json.dumps writes by default (allow_nan): NaN, Infinity, -Infinity unquoted.
 */
export class PythonFloat {
  constructor(readonly value: number, readonly bare = false) {}
}

// Random per process: a user's string can never be read as the marker and unquoted.
const floatMarker = `\u0000python-float-${randomBytes(8).toString("hex")}:`;

/** Python's repr of a finite float: shortest digits, exponent outside [1e-4, 1e16). */
function pythonFloatRepr(value: number): string {
  if (Object.is(value, -0)) return "-0.0";
  const [digits, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${digits}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const fixed = value.toString();
  return fixed.includes(".") ? fixed : `${fixed}.0`;
}

/** A value that metadata JSON cannot hold as given: where it is ("attributes.a.b[2]") and what it is. */
export interface NonJsonValue {
  path: string;
  what: string;
}

function memberPath(at: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

function kindOfObject(value: object): string {
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object that is not a plain object";
}

function nonJsonIn(value: unknown, at: string, containers: object[]): NonJsonValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number": // non-finite ones are written as "NaN", "Infinity", "-Infinity"
      return undefined;
    case "bigint":
      return { path: at, what: `a bigint (${value}n), which JSON cannot hold` };
    case "undefined":
      return { path: at, what: "undefined, which JSON would silently drop" };
    case "function":
    case "symbol":
      return { path: at, what: `a ${typeof value}, which JSON would silently drop` };
  }
  if (value === null || value instanceof PythonFloat) return undefined;
  const object = value as object;
  if (containers.includes(object)) return { path: at, what: "a circular reference (to an object that contains it)" };
  containers.push(object);
  try {
    if (Array.isArray(object)) {
      const named = Object.keys(object).find((key) => !/^(0|[1-9]\d*)$/.test(key));
      if (named !== undefined) return { path: memberPath(at, named), what: "a named property of an array, which JSON would silently drop" };
      for (let index = 0; index < object.length; index++) {
        const item = `${at}[${index}]`;
        if (!(index in object)) return { path: item, what: "an empty slot of a sparse array, which JSON would silently write as null" };
        const found = nonJsonIn(object[index], item, containers);
        if (found) return found;
      }
      return undefined;
    }
    // A plain object's prototype is an Object.prototype (this realm's or another's, as a vm
    // context or a test runner's structuredClone gives) or null; a class instance's is not.
    const prototype = Object.getPrototypeOf(object) as object | null;
    if (prototype !== null && Object.getPrototypeOf(prototype) !== null) return { path: at, what: `${kindOfObject(object)}, not a plain object` };
    if (Object.getOwnPropertySymbols(object).length > 0) return { path: at, what: "an object with symbol keys, which JSON would silently drop" };
    for (const key of Object.keys(object)) {
      const found = nonJsonIn((object as Record<string, unknown>)[key], memberPath(at, key), containers);
      if (found) return found;
    }
    return undefined;
  } finally {
    containers.pop();
  }
}

/**
 * The first value in `value` that metadata JSON cannot hold as given, named by its path from
 * `at`; undefined when all of it is plain objects, arrays, strings, numbers, booleans and null.
 */
export function findNonJsonValue(value: unknown, at: string): NonJsonValue | undefined {
  return nonJsonIn(value, at, []);
}

/** Refuses attributes (at `at`, e.g. "attributes") holding a value that JSON cannot hold as given. */
export function refuseNonJsonAttributes(attributes: unknown, at: string): void {
  const found = findNonJsonValue(attributes, at);
  if (found === undefined) return;
  throw new InvalidOptionError(
    `${found.path} is ${found.what}: Zarr attributes are JSON, nothing was written or deleted. ` +
      "Convert it to a number, string, boolean, null, array or plain object (a bigint with Number() or String(), " +
      "a Date with toISOString(), a typed array or Set with Array.from(), a Map with Object.fromEntries()), or leave the key out",
  );
}

/**
 * Attributes as Python's json module would write them: a -0 is the float -0.0 (JSON.parse
 * reads a Python-written `-0.0` as -0, and Python's ints have no -0), which JSON.stringify
 * writes as `0`, read back by Python as the int 0. Any other non-integer is a float in Python
 * too, written by its repr (`1e-05`, where JSON.stringify writes `0.00001`): same value, and
 * the same bytes as zarr-python's. An integral number stays as JSON.stringify writes it (an
 * int, which is all JSON.parse can tell of it). Only attributes, user values: the numbers
 * of the metadata documents themselves (shape, chunks, an integer fill value, codec levels)
 * are integers, for which -0 is 0.
 *
 * NaN and ±Infinity follow what zarr-python writes for each format. A v2 `.zattrs` is
 * json.dumps with its default allow_nan (zarr-python 2, and 3 for v2), so bare NaN, Infinity,
 * -Infinity, which Python (and parseMetadataJson) read back as floats; the string "NaN" would
 * come back to a Python reader as a string. A v3 `zarr.json` is JSON proper (zarr-python 3
 * replaces non-finite floats in the whole document, attributes included, by the strings
 * "NaN", "Infinity", "-Infinity", as the v3 spec spells a fill value): those strings.
 */
export function attributesJson<T>(value: T, zarrFormat: 2 | 3): T {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return (zarrFormat === 2 ? new PythonFloat(value, true) : value) as T;
    return (Object.is(value, -0) || !Number.isInteger(value) ? new PythonFloat(value) : value) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => attributesJson(item, zarrFormat)) as T;
  if (value !== null && typeof value === "object" && !(value instanceof PythonFloat)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      // Defined, not assigned: assigning a "__proto__" key would set the prototype and drop the key.
      Object.defineProperty(copy, key, { value: attributesJson((value as Record<string, unknown>)[key], zarrFormat), enumerable: true, writable: true, configurable: true });
    }
    return copy as T;
  }
  return value;
}

/** Python's json.dumps spelling of a non-finite float (allow_nan). */
function bareNonFinite(value: number): string {
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

function sortKeys(value: unknown): unknown {
  if (value instanceof PythonFloat) {
    if (Number.isFinite(value.value)) return `${floatMarker}${pythonFloatRepr(value.value)}`;
    return value.bare ? `${floatMarker}${bareNonFinite(value.value)}` : sortKeys(value.value);
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  }
  // An int64/uint64 fill value past 2^53, in all its digits (JSON.stringify(2 ** 62) would
  // write 4611686018427388000, another integer to Python). Attributes never hold one (findNonJsonValue).
  if (typeof value === "bigint") return `${floatMarker}${value}`;
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      // Defined, not assigned: assigning a "__proto__" key would set the prototype and drop the key.
      Object.defineProperty(sorted, key, { value: sortKeys((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    }
    return sorted;
  }
  return value;
}

const floatMarkerPattern = new RegExp(`"${JSON.stringify(floatMarker).slice(1, -1).replace(/\\/g, "\\\\")}([^"]*)"`, "g");

function formatMetadataJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4)
    .replace(floatMarkerPattern, "$1")
    .replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function encodeMetadataJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(formatMetadataJson(value));
}

/** Marks a bare NaN/Infinity while the text goes through JSON.parse (random per process, as floatMarker). */
const bareMarker = `python-bare-${randomBytes(8).toString("hex")}:`;

/**
 * Parses a metadata file; `where` names the file in the error. Python's bare NaN, Infinity and
 * -Infinity (its json module writes them so, and zarr-python's attributes with it) are read as
 * those numbers: a quoted "NaN" stays a string (as Zarr spells a NaN fill value), a bare one
 * can only be the float.
 */
export function parseMetadataJson(bytes: Uint8Array, where: string): Record<string, unknown> {
  const text = new TextDecoder().decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      const marked = text.replace(/(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, `"${bareMarker}$1"`);
      value = JSON.parse(marked, (_key, item: unknown) => (typeof item === "string" && item.startsWith(bareMarker) ? Number(item.slice(bareMarker.length)) : item));
    } catch (cause) {
      throw new ZarrMetadataError(`${where} is not valid JSON; rewrite it or recreate the array`, { cause });
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ZarrMetadataError(`${where} must hold a JSON object`);
  }
  const document = value as Record<string, unknown>;
  // An int64/uint64 fill value past 2^53 (zarr-python writes INT64_MAX, UINT64_MAX as they are)
  // loses its low bits in a JS number, and 2^63 or 2^64 then wraps to the other end of the
  // range in a BigInt64Array: it is read again from the text, exactly, as a bigint.
  const fill = document.fill_value;
  if (typeof fill === "number" && Number.isInteger(fill) && !Number.isSafeInteger(fill)) {
    const literal = topLevelLiteral(text, "fill_value");
    if (literal !== undefined && /^-?\d+$/.test(literal)) document.fill_value = BigInt(literal);
  }
  return document;
}

/** The text of the value that `key` of the outermost object holds, when it is not a string, object or array. */
function topLevelLiteral(text: string, key: string): string | undefined {
  const tokens = /"(?:[^"\\]|\\.)*"|[{}[\]]|[^\s,:{}[\]"]+/g;
  let depth = 0;
  let expectKey = true;
  let lastKey: string | undefined;
  for (let match = tokens.exec(text); match !== null; match = tokens.exec(text)) {
    const token = match[0];
    if (token === "{" || token === "[") {
      depth++;
      continue;
    }
    if (token === "}" || token === "]") {
      // An object or array value of the outer object has ended: a key comes next.
      if (--depth === 1) expectKey = true;
      continue;
    }
    if (depth !== 1) continue;
    if (expectKey) {
      lastKey = JSON.parse(token) as string;
      expectKey = false;
      continue;
    }
    if (lastKey === key && !token.startsWith('"')) return token;
    expectKey = true;
  }
  return undefined;
}
