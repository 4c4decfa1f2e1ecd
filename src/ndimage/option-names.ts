/**
 * Refusing option keys a function does not read. A misspelt or foreign key (`prefliter`,
 * skimage's `connectivity`, scipy's `output` where tessera returns a new array) would otherwise
 * be ignored and the function would run with its default — a silent wrong answer.
 */
import { InvalidOptionError } from "../core/errors.js";
import { suggestKeys } from "../config/keys.js";

/**
 * Throws on the first key of `options` that is not in `accepted` (keys set to undefined carry
 * nothing and pass). `hints` adds advice for keys users bring from other libraries.
 */
export function refuseUnknownOptions(
  options: object, accepted: readonly string[], what: string, hints: Readonly<Record<string, string>> = {},
): void {
  if (Array.isArray(options)) throw new InvalidOptionError(`${what} needs an options object ({ name: value }), got the list ${JSON.stringify(options)}`);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || accepted.includes(key)) continue;
    const close = suggestKeys(key, [...accepted]);
    const advice = Object.hasOwn(hints, key) ? ` (${hints[key]})` : close.length > 0 ? ` (did you mean ${close.join(" or ")}?)` : "";
    throw new InvalidOptionError(`${what}: unknown option "${key}"${advice}; ${what} takes ${accepted.length > 0 ? accepted.join(", ") : "no options"}`);
  }
}
