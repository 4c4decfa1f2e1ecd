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
  const opened = await openArrayForGraph(ref);
  const [recorded, generation] = await Promise.all([readResumeToken(opened.ref), readDataGeneration(opened.ref)]);
  return { ...opened, identity: { stamp: opened.ref.stamp ?? "", token: recorded?.token ?? "", generation: generation ?? "" } };
}

export function sameIdentity(a: ZarrSourceIdentity, b: ZarrSourceIdentity): boolean {
  return a.stamp === b.stamp && a.token === b.token && a.generation === b.generation;
}
