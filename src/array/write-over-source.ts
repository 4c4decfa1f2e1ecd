/**
 * Refusing writes that destroy what they read. A lazy array read from a Zarr array reads its
 * chunks only when its tasks run, after the write has been prepared. So:
 * - replacing a target (toZarr with `overwrite`, toOmeZarr with `overwrite`) deletes its
 *   chunks, and those of every array in a group it replaces, before any task reads them: the
 *   reads then see the fill value and the result is silently wrong;
 * - writing into an existing array (toZarr with `region`, store) while reading that same
 *   array lets one task read a chunk another task has already rewritten (a filter's halo, a
 *   shifted or rechunked view), again silently.
 * Both are refused before anything is deleted or written: the user writes elsewhere first.
 */
import { realpathSync } from "node:fs";
import * as path from "node:path";
import { InvalidOptionError } from "../core/errors.js";
import type { ZarrRef } from "../zarr/index.js";
import type { ArrayNode } from "./expr.js";
import { zarrSourcesOf } from "./zarr-sources.js";

/** One spelling of a store directory: absolute, through symbolic links where it exists. */
function canonicalStore(storePath: string): string {
  const absolute = path.resolve(storePath);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

function normalizedComponent(component: string | undefined): string {
  return (component ?? "").split("/").filter((part) => part !== "" && part !== ".").join("/");
}

/**
 * Refuses writing `array` to `target` when the write would destroy data the array is
 * computed from. `replaces`: the write deletes the target node first (an overwrite), so any
 * array at or under `target.component` counts; otherwise (a write into the existing array)
 * only the target array itself. `operation` names the call in the message.
 */
export function refuseWritingOverSource(array: ArrayNode, target: ZarrRef, replaces: boolean, operation: string): void {
  const store = canonicalStore(target.path);
  const component = normalizedComponent(target.component);
  for (const { ref: source } of zarrSourcesOf([array]).values()) {
    if (canonicalStore(source.path) !== store) continue;
    const sourceComponent = normalizedComponent(source.component);
    const underTarget = component === "" || sourceComponent === component || sourceComponent.startsWith(`${component}/`);
    if (replaces ? !underTarget : sourceComponent !== component) continue;
    const where = `${store}${component ? ` (component "${component}")` : ""}`;
    const read = sourceComponent === "" ? "the array at its root" : `its array "${sourceComponent}"`;
    throw new InvalidOptionError(
      replaces
        ? `${operation} would replace ${where}, but the array written is computed from ${read}, whose chunks would be deleted ` +
            "before they are read (they would read back as the fill value). Write the result to another path first, then move or copy it over"
        : `${operation} writes into ${where}, but the array written is computed from that same array: a task could read a chunk ` +
            "another task has already rewritten. Write the result to another path first, then copy it in",
    );
  }
}
