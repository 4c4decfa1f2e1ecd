/**
 * tessera's codecs in zarrita's registry, and the lookup the chunk pipeline uses.
 *
 * zarrita keeps one registry per process (per thread); we replace its blosc, gzip and zlib
 * entries, add a read-only bz2 (v3 names and the "numcodecs." names v2 arrays use), and
 * replace numcodecs' shuffle filter (shuffle-filter.ts says why) on first use, not at import,
 * so importing this module has no side effect.
 *
 * Some registered codecs decode only (zarrita leaves their encode unimplemented, tessera's bz2
 * is read-only): decodeOnlyCodecs names them, so a write into an array that uses one is
 * refused before its first chunk is touched (chunk-pipeline.ts) rather than failing chunk by chunk.
 */
import { registry } from "zarrita";
import { BloscCodec, GzipCodec, ZlibCodec } from "./compressor-codecs.js";
import { Bz2Codec } from "./bz2-codec.js";
import { ShuffleFilterCodec } from "./shuffle-filter.js";

/** The codec shape zarrita's pipeline works with, seen from outside zarrita. */
export interface RegisteredCodec {
  kind?: "array_to_array" | "array_to_bytes" | "bytes_to_bytes";
  encode(data: unknown): unknown;
  decode(data: unknown): unknown;
}

interface RegisteredCodecClass {
  fromConfig(configuration: unknown, metadata: unknown): RegisteredCodec;
}

type RegistryEntry = () => Promise<RegisteredCodecClass>;

let registered = false;

function ensureCodecsRegistered(): void {
  if (registered) return;
  const entries = registry as unknown as Map<string, RegistryEntry>;
  const ours: Array<[string, RegisteredCodecClass]> = [
    ["blosc", BloscCodec as unknown as RegisteredCodecClass],
    ["gzip", GzipCodec as unknown as RegisteredCodecClass],
    ["zlib", ZlibCodec as unknown as RegisteredCodecClass],
    ["bz2", Bz2Codec as unknown as RegisteredCodecClass],
  ];
  for (const [name, codecClass] of ours) {
    entries.set(name, () => Promise.resolve(codecClass));
    entries.set(`numcodecs.${name}`, () => Promise.resolve(codecClass));
  }
  // A v2 filter only: v3 has no "shuffle" codec of this name.
  entries.set("numcodecs.shuffle", () => Promise.resolve(ShuffleFilterCodec as unknown as RegisteredCodecClass));
  registered = true;
}

/** The codec class registered under `name`, or undefined. */
export async function lookupCodec(name: string): Promise<RegisteredCodecClass | undefined> {
  ensureCodecsRegistered();
  const entry = (registry as unknown as Map<string, RegistryEntry>).get(name);
  return entry ? await entry() : undefined;
}

export function registeredCodecNames(): string[] {
  ensureCodecsRegistered();
  return [...(registry as unknown as Map<string, RegistryEntry>).keys()].sort();
}

/** Registered codecs that decode but cannot encode (test/zarr/codec-registry.test.ts checks the list against the registry). */
export const decodeOnlyCodecs: ReadonlySet<string> = new Set([
  "bz2", "numcodecs.bz2", "bitround", "numcodecs.bitround", "crc32c", "scale_offset", "cast_value", "vlen-utf8", "numcodecs.vlen-utf8",
]);
