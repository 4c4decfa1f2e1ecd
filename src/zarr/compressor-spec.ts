/**
 * The compressor a caller asks `createArray` for, validated once, and how each Zarr version
 * writes it down: numcodecs' fields for v2 `.zarray` (as zarr-python 2.13 / numcodecs 0.11
 * write them) and a codec entry for v3 `zarr.json`. Also the one-line summaries shown in
 * ZarrArrayInfo.compressor.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { type BloscShuffle, describeBlosc } from "./blosc-frame.js";
import { type BloscCompressorName, bloscCompressorNames } from "./blosc-streams.js";
import { isBloscCompressorName, parseBloscShuffle } from "./compressor-codecs.js";
import { ZarrUnknownCodecError } from "./errors.js";

export type CompressorSpec =
  | {
      id: "blosc";
      cname?: BloscCompressorName;
      clevel?: number;
      /** Either spelling: "noshuffle" | "shuffle" | "bitshuffle", or numcodecs' 0 | 1 | 2. */
      shuffle?: BloscShuffle | 0 | 1 | 2;
      blocksize?: number;
    }
  | { id: "zstd"; level?: number }
  | { id: "lz4"; acceleration?: number }
  | { id: "gzip"; level?: number }
  | { id: "zlib"; level?: number };

export type ResolvedCompressor =
  | { id: "blosc"; cname: BloscCompressorName; clevel: number; shuffle: BloscShuffle; blocksize: number }
  | { id: "zstd"; level: number }
  | { id: "lz4"; acceleration: number }
  | { id: "gzip"; level: number }
  | { id: "zlib"; level: number };

/** zarr-python 2's default: Blosc(cname="lz4", clevel=5, shuffle=SHUFFLE, blocksize=0). */
const defaultCompressor: ResolvedCompressor = { id: "blosc", cname: "lz4", clevel: 5, shuffle: "shuffle", blocksize: 0 };

const compressorIds = ["blosc", "zstd", "lz4", "gzip", "zlib"] as const;

function integerIn(value: unknown, fallback: number, low: number, high: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) {
    throw new InvalidOptionError(`compressor ${what}: ${JSON.stringify(value)} must be an integer from ${low} to ${high}`);
  }
  return value;
}

/** Validates a CompressorSpec (null = no compression); undefined gives the default. */
export function resolveCompressor(spec: unknown): ResolvedCompressor | null {
  if (spec === undefined) return defaultCompressor;
  if (spec === null) return null;
  if (typeof spec !== "object" || typeof (spec as { id?: unknown }).id !== "string") {
    throw new InvalidOptionError(`compressor: ${JSON.stringify(spec)} must be null or an object with an id (${compressorIds.join(", ")})`);
  }
  const options = spec as Record<string, unknown>;
  switch (options.id) {
    case "blosc": {
      const cname = options.cname ?? "lz4";
      if (!isBloscCompressorName(cname)) {
        throw new InvalidOptionError(`compressor cname: ${JSON.stringify(cname)} must be one of ${bloscCompressorNames.join(", ")}`);
      }
      let shuffle: BloscShuffle;
      try {
        shuffle = parseBloscShuffle(options.shuffle as number | string | undefined, 2);
      } catch (cause) {
        throw new InvalidOptionError(`compressor shuffle: ${(cause as Error).message}`);
      }
      return {
        id: "blosc", cname, shuffle,
        clevel: integerIn(options.clevel, 5, 0, 9, "clevel"),
        blocksize: integerIn(options.blocksize, 0, 0, 2 ** 31 - 1, "blocksize"),
      };
    }
    case "zstd":
      return { id: "zstd", level: integerIn(options.level, 1, -131072, 22, "level") };
    case "lz4":
      return { id: "lz4", acceleration: integerIn(options.acceleration, 1, 1, 65537, "acceleration") };
    case "gzip":
      return { id: "gzip", level: integerIn(options.level, 1, 0, 9, "level") };
    case "zlib":
      return { id: "zlib", level: integerIn(options.level, 1, -1, 9, "level") };
    default:
      throw new ZarrUnknownCodecError(
        `compressor id "${String(options.id)}" is not one tessera writes; use one of ${compressorIds.join(", ")}, or null for none`,
      );
  }
}

const shuffleNumber: Record<BloscShuffle, number> = { noshuffle: 0, shuffle: 1, bitshuffle: 2 };

/** The `.zarray` "compressor" value, with numcodecs 0.11's field set. */
export function v2CompressorJson(compressor: ResolvedCompressor | null): Record<string, unknown> | null {
  if (compressor === null) return null;
  if (compressor.id === "blosc") {
    return { id: "blosc", cname: compressor.cname, clevel: compressor.clevel, shuffle: shuffleNumber[compressor.shuffle], blocksize: compressor.blocksize };
  }
  return { ...compressor };
}

export interface CodecEntryMetadata {
  name: string;
  configuration?: Record<string, unknown>;
}

/** The v3 codec entry that follows `bytes` in `zarr.json`, or none. */
export function v3CompressorCodecs(compressor: ResolvedCompressor | null, dtype: DType): CodecEntryMetadata[] {
  if (compressor === null) return [];
  switch (compressor.id) {
    case "blosc":
      return [{
        name: "blosc",
        configuration: {
          cname: compressor.cname, clevel: compressor.clevel, shuffle: compressor.shuffle,
          typesize: dtypeInfo(dtype).itemsize, blocksize: compressor.blocksize,
        },
      }];
    case "zstd":
      return [{ name: "zstd", configuration: { level: compressor.level, checksum: false } }];
    case "gzip":
      return [{ name: "gzip", configuration: { level: compressor.level } }];
    case "lz4":
      return [{ name: "numcodecs.lz4", configuration: { acceleration: compressor.acceleration } }];
    case "zlib":
      return [{ name: "numcodecs.zlib", configuration: { level: compressor.level } }];
  }
}

/** "zstd(level=3)", "blosc(lz4, clevel=5, shuffle)": one codec for people to read. */
export function describeCodec(name: string, configuration: Record<string, unknown> = {}, typesize = 1): string {
  const id = name.replace(/^numcodecs\./, "");
  if (id === "blosc") {
    let shuffle: string;
    try {
      shuffle = parseBloscShuffle(configuration.shuffle as number | string | undefined, typesize);
    } catch {
      shuffle = `shuffle=${JSON.stringify(configuration.shuffle)}`;
    }
    return describeBlosc({ cname: String(configuration.cname ?? "lz4") as BloscCompressorName, clevel: Number(configuration.clevel ?? 5), shuffle: shuffle as BloscShuffle });
  }
  const fields = Object.entries(configuration)
    .filter(([key]) => key !== "id")
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return `${id}(${fields.join(", ")})`;
}
