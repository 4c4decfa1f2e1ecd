/**
 * Refusing a graph whose Zarr sources were written after it was built. fromZarr's block names
 * stand for the data it found (zarr-source-identity.ts), and a cluster reuses the blocks it
 * holds under a name. A graph built before a write into its source and run after it would
 * read the new data under names that mean the old; worse, once the same computation wrote the
 * old data back, a new fromZarr would be served those blocks. So compute, persist and toZarr
 * read each source's identity again first (a few small reads per source) and refuse a changed
 * one: the user calls fromZarr again. A change between this check and a task's read is not
 * seen here (a task checks the metadata's stamp, not the data's identity).
 */
import { type ZarrRef, ZarrArrayChangedError } from "../zarr/index.js";
import type { ArrayNode } from "./expr.js";
import type { FromZarrExpr } from "./sources.js";
import { zarrSourcesOf } from "./zarr-sources.js";
import { readZarrSource, sameIdentity, type ZarrSourceIdentity } from "./zarr-source-identity.js";

/** What refuseChangedSources reads of a source now (readZarrSource; a test counts the reads). */
export type ReadSourceIdentity = (ref: ZarrRef) => Promise<{ identity: ZarrSourceIdentity }>;

/**
 * Refuses (ZarrArrayChangedError) when a Zarr array that `arrays` read was written after
 * fromZarr opened it. Each source is read once, however often the graph uses it.
 */
export async function refuseChangedSources(arrays: readonly ArrayNode[], readSource: ReadSourceIdentity = readZarrSource): Promise<void> {
  await Promise.all([...zarrSourcesOf(arrays).values()].map(async (source) => {
    const now = await readSource(source.ref);
    if (sameIdentity(now.identity, source.identity)) return;
    const where = source.ref.component ? `component "${source.ref.component}" of ${source.ref.path}` : source.ref.path;
    throw new ZarrArrayChangedError(
      `${where} was written after fromZarr opened it (${describeChange(source.identity, now.identity)}): the lazy array's blocks ` +
        "stand for the data read then, and a cluster may hold them under those names. Call fromZarr again to compute with the array as it is now",
    );
  }));
}

function describeChange(before: FromZarrExpr["identity"], after: FromZarrExpr["identity"]): string {
  if (before.stamp !== after.stamp) return "its metadata changed";
  if (before.token !== after.token) return "another computation was written over it";
  return "a region write changed its data";
}
