/**
 * What a fromZarr source's block names stand for (from-zarr.ts): the metadata's content
 * (its stamp), the token of the computation a toZarr recorded beside the chunks, and the data
 * generation region writes record. Read when the array is opened and again before a graph that
 * reads it runs (changed-sources.ts).
 */
import { type ZarrArrayInfo, type ZarrRef, openArrayForGraph, readDataGeneration, readResumeToken } from "../zarr/index.js";

export interface ZarrSourceIdentity {
  stamp: string;
  token: string;
  generation: string;
}

/** The array at `ref` as it is now: its info, the stamped ref its tasks carry, and its identity. */
export async function readZarrSource(ref: ZarrRef): Promise<{ info: ZarrArrayInfo; ref: ZarrRef; identity: ZarrSourceIdentity }> {
  // The three files side by side: the token and the generation lie beside the metadata, found
  // from the path and component alone. Read after it, they cost every fromZarr and every check
  // before a graph runs a few round trips more. The open's errors (no such array, a group, a
  // file) come first, as they did: they say what is wrong with the path.
  const token = readResumeToken(ref);
  const generation = readDataGeneration(ref);
  token.catch(() => undefined); // awaited below, after the open
  generation.catch(() => undefined);
  const opened = await openArrayForGraph(ref);
  const [recorded, written] = await Promise.all([token, generation]);
  return { ...opened, identity: { stamp: opened.ref.stamp ?? "", token: recorded?.token ?? "", generation: written ?? "" } };
}

export function sameIdentity(a: ZarrSourceIdentity, b: ZarrSourceIdentity): boolean {
  return a.stamp === b.stamp && a.token === b.token && a.generation === b.generation;
}
