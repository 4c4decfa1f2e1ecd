/** Options objects refuse keys they do not take: a misspelt option (`{ chunk: 64 }`) would otherwise fall back to the default silently. */
import { InvalidOptionError } from "../core/errors.js";
import { executeOptionKeys } from "../graph/executor.js";

export function refuseUnknownOptions(what: string, options: object, allowed: readonly string[]): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${allowed.join(", ")}`);
  }
}

/** The options compute and persist take (ExecuteOptions): a misspelt `retires` must not pass unseen. */
export function refuseUnknownExecuteOptions(what: string, options: object): void {
  refuseUnknownOptions(what, options, executeOptionKeys);
}

/** ToZarrOptions' keys: a misspelt `overwite` or `compresor` must not write with the defaults. */
const toZarrOptionKeys = ["component", "overwrite", "zarrFormat", "compressor", "chunks", "fillValue", "attributes", "order", "resume", "region", "safeChunks"];

/** toZarr's options (its own and compute's), refused by name when a key is unknown; returned as given. */
export function checkedToZarrOptions<T extends object>(options: T): T {
  refuseUnknownOptions("toZarr", options, [...toZarrOptionKeys, ...executeOptionKeys]);
  return options;
}

/** ta.store's options (regions, safeChunks and compute's). */
export function refuseUnknownStoreOptions(options: object): void {
  refuseUnknownOptions("store", options, ["regions", "safeChunks", ...executeOptionKeys]);
}

/** MapBlocksOptions' keys: a misspelt `chnks` or `dtyp` must not run with the input's chunks or dtype unseen. */
const mapBlocksOptionKeys = ["dtype", "chunks", "dropAxis", "newAxis", "blockInfo", "name"];

/** mapBlocks' arrays and options (the function's own options travel apart, in fnOptions). */
export function checkMapBlocksCall(arrays: readonly unknown[], options: object): void {
  if (arrays.length === 0) throw new InvalidOptionError("mapBlocks needs at least one array");
  refuseUnknownOptions("mapBlocks", options, mapBlocksOptionKeys);
}
