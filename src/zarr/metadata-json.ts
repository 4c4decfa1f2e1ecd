/**
 * JSON in and out of Zarr metadata files.
 *
 * Output matches zarr-python 2's `json.dumps(indent=4, sort_keys=True, ensure_ascii=True)`
 * byte for byte (keys sorted at every level, non-ASCII escaped, no trailing newline), so a
 * `.zarray` written by tessera reads like one written by Python. Non-finite numbers become
 * the strings "NaN", "Infinity" and "-Infinity", as both Zarr versions spell them. A value
 * wrapped in PythonFloat is written as Python writes a float (`0.0`, `1e-05`, `1e+16`):
 * zarr-python writes a float array's fill value that way.
 */
import { ZarrMetadataError } from "./errors.js";

/** A number to be written the way Python's json module writes a float. */
export class PythonFloat {
  constructor(readonly value: number) {}
}

const floatMarker = "\u0000python-float:";

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

function sortKeys(value: unknown): unknown {
  if (value instanceof PythonFloat) {
    return Number.isFinite(value.value) ? `${floatMarker}${pythonFloatRepr(value.value)}` : sortKeys(value.value);
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

function formatMetadataJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4)
    .replace(/"\\u0000python-float:([^"]*)"/g, "$1")
    .replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function encodeMetadataJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(formatMetadataJson(value));
}

/** Parses a metadata file; `where` names the file in the error. Python's bare NaN is accepted. */
export function parseMetadataJson(bytes: Uint8Array, where: string): Record<string, unknown> {
  const text = new TextDecoder().decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      // Python's json module writes NaN/Infinity bare when allow_nan is left on.
      value = JSON.parse(text.replace(/(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '"$1"'));
    } catch (cause) {
      throw new ZarrMetadataError(`${where} is not valid JSON; rewrite it or recreate the array`, { cause });
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ZarrMetadataError(`${where} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}
