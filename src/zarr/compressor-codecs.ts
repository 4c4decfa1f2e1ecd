/**
 * Byte-to-byte codecs tessera puts in zarrita's codec registry in place of the defaults:
 *
 * - blosc: our Blosc frames (blosc-frame.ts). typesize is the array's itemsize (v3 configs
 *   may state it), and shuffle is read as numcodecs' number (0, 1, 2, −1 = auto) or as the
 *   v3 string ("noshuffle", "shuffle", "bitshuffle").
 * - gzip and zlib through node:zlib, which zarrita's built-ins cannot encode.
 *
 * Each class follows zarrita's codec shape: `fromConfig(configuration, chunkMetadata)`,
 * `kind`, `encode` and `decode` on Uint8Arrays.
 *
 * Decoding never allocates more than one raw chunk of the array (its shape × itemsize, from
 * the chunk metadata): a Blosc header or a gzip stream that claims more is corrupt or hostile
 * (a 1 KiB gzip bomb inflates to gigabytes), and is refused before the memory is taken.
 */
import { deflateSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { type BloscShuffle, decodeBloscFrame, encodeBloscFrame, readBloscHeader } from "./blosc-frame.js";
import { type BloscCompressorName, bloscCompressorNames } from "./blosc-streams.js";

export interface ChunkMetadataLike {
  dataType: string;
  shape?: number[];
}

const itemsizeOfDataType: Record<string, number> = {
  bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8,
  float16: 2, float32: 4, float64: 8,
};

/** The bytes of one raw chunk: the most a byte codec's decode may produce. */
export function rawChunkBytes(metadata: ChunkMetadataLike | undefined): number | undefined {
  if (!metadata?.shape) return undefined;
  return metadata.shape.reduce((product, n) => product * n, itemsizeOfDataType[metadata.dataType] ?? 8);
}

export interface BloscConfiguration {
  cname?: string;
  clevel?: number;
  shuffle?: number | string;
  typesize?: number;
  blocksize?: number;
}

/** Reads either spelling of Blosc's shuffle; −1 (auto) is bit shuffle for 1-byte items, as numcodecs does. */
export function parseBloscShuffle(value: number | string | undefined, typesize: number): BloscShuffle {
  switch (value) {
    case undefined:
    case 1:
    case "shuffle":
      return "shuffle";
    case 0:
    case "noshuffle":
      return "noshuffle";
    case 2:
    case "bitshuffle":
      return "bitshuffle";
    case -1:
      return typesize === 1 ? "bitshuffle" : "shuffle";
    default:
      throw new Error(`Blosc shuffle ${JSON.stringify(value)} is not one of 0, 1, 2, -1, "noshuffle", "shuffle", "bitshuffle"`);
  }
}

export function isBloscCompressorName(value: unknown): value is BloscCompressorName {
  return typeof value === "string" && (bloscCompressorNames as readonly string[]).includes(value);
}

export class BloscCodec {
  readonly kind = "bytes_to_bytes";
  readonly cname: string;
  readonly clevel: number;
  readonly shuffle: BloscShuffle;
  readonly typesize: number;
  readonly blocksize: number;
  readonly maxDecodedBytes: number | undefined;

  constructor(configuration: BloscConfiguration, metadata: ChunkMetadataLike) {
    this.maxDecodedBytes = rawChunkBytes(metadata);
    this.typesize = configuration.typesize ?? itemsizeOfDataType[metadata.dataType] ?? 1;
    this.cname = configuration.cname ?? "lz4";
    this.clevel = configuration.clevel ?? 5;
    this.shuffle = parseBloscShuffle(configuration.shuffle, this.typesize);
    this.blocksize = configuration.blocksize ?? 0;
  }

  static fromConfig(configuration: BloscConfiguration, metadata: ChunkMetadataLike): BloscCodec {
    return new BloscCodec(configuration ?? {}, metadata);
  }

  encode(data: Uint8Array): Promise<Uint8Array> {
    if (!isBloscCompressorName(this.cname)) {
      throw new Error(`Blosc compressor "${this.cname}" cannot be written; use one of ${bloscCompressorNames.join(", ")}`);
    }
    if (!Number.isInteger(this.clevel) || this.clevel < 0 || this.clevel > 9) {
      throw new Error(`Blosc clevel ${this.clevel} must be an integer from 0 to 9`);
    }
    return encodeBloscFrame(data, {
      cname: this.cname, clevel: this.clevel, shuffle: this.shuffle, typesize: this.typesize, blocksize: this.blocksize,
    });
  }

  decode(data: Uint8Array): Promise<Uint8Array> {
    const { nbytes } = readBloscHeader(data);
    if (this.maxDecodedBytes !== undefined && nbytes > this.maxDecodedBytes) {
      throw new Error(`the Blosc header claims ${nbytes} bytes, more than a chunk of this array holds (${this.maxDecodedBytes})`);
    }
    return decodeBloscFrame(data);
  }
}

export class GzipCodec {
  readonly kind = "bytes_to_bytes";
  constructor(readonly level: number, readonly maxDecodedBytes?: number) {}

  static fromConfig(configuration: { level?: number } | undefined, metadata?: ChunkMetadataLike): GzipCodec {
    return new GzipCodec(configuration?.level ?? 1, rawChunkBytes(metadata));
  }

  encode(data: Uint8Array): Uint8Array {
    return gzipSync(data, { level: this.level });
  }

  decode(data: Uint8Array): Uint8Array {
    // Past maxOutputLength node:zlib stops inflating and throws a RangeError.
    return gunzipSync(data, this.maxDecodedBytes === undefined ? {} : { maxOutputLength: Math.max(this.maxDecodedBytes, 1) });
  }
}

export class ZlibCodec {
  readonly kind = "bytes_to_bytes";
  constructor(readonly level: number, readonly maxDecodedBytes?: number) {}

  static fromConfig(configuration: { level?: number } | undefined, metadata?: ChunkMetadataLike): ZlibCodec {
    return new ZlibCodec(configuration?.level ?? 1, rawChunkBytes(metadata));
  }

  encode(data: Uint8Array): Uint8Array {
    return deflateSync(data, { level: this.level });
  }

  decode(data: Uint8Array): Uint8Array {
    // Past maxOutputLength node:zlib stops inflating and throws a RangeError.
    return inflateSync(data, this.maxDecodedBytes === undefined ? {} : { maxOutputLength: Math.max(this.maxDecodedBytes, 1) });
  }
}
