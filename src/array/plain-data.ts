/**
 * Values that travel inside task arguments must be plain data: a function or class instance among
 * a chunked call's extra arguments would be lost or mangled on the way to the workers. Refused
 * here, naming where the value sits (`extraArguments[1].scale`).
 */
import { InvalidOptionError } from "../core/errors.js";

export function checkPlainData(value: unknown, where: string, what: string, depth = 0): void {
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "boolean") return;
  if (depth > 16) throw new InvalidOptionError(`${what}: ${where} is nested too deeply to travel to workers`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkPlainData(item, `${where}[${i}]`, what, depth + 1));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) checkPlainData(item, `${where}.${key}`, what, depth + 1);
    return;
  }
  const kind = typeof value === "function" ? "a function" : typeof value === "object" ? "an object that is not plain data" : `a ${typeof value}`;
  throw new InvalidOptionError(
    `${what}: ${where} is ${kind}, which cannot travel to workers: pass numbers, strings, booleans, lists and plain objects`,
  );
}
