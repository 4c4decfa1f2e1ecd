/**
 * One array's codec chain, built from zarrita's registry, run on whole chunks.
 *
 * Decoding runs the byte codecs backwards, then the array-to-bytes codec (`bytes`), then the
 * array codecs (`transpose` gives F-order chunks their strides without a copy). It checks the
 * decoded size twice, after the byte codecs and at the end, so a truncated or corrupt chunk is
 * an error naming its key and the array rather than a short or garbage chunk.
 *
 * Encoding takes a full chunk, C-contiguous in a buffer of exactly its size (zarrita's
 * `bytes` codec encodes the whole underlying buffer); the array codecs give it the stored
 * layout (a transpose's order, F for a v2 `order: "F"`) and `bytes` the stored byte order, the
 * inverse of decoding, so writes need no layout handling of their own. A chain with a codec
 * that decodes only (codec-registry.ts) refuses writes up front: checkWritable, called before
 * a write touches anything.
 *
 * A complex chunk goes through the codecs as its real halves with a trailing axis of length 2
 * (re, im), the fastest-varying one in every order (a transpose's order gets that axis last),
 * and blosc shuffles it by the complex itemsize (8 / 16 bytes) as numcodecs does; the decoded
 * chunk's strides are the elements' again.
 */
import { type DType, type TypedArray, dtypeInfo } from "../ndarray/dtype.js";
import { cStrides, shapeSize } from "../ndarray/ndarray.js";
import { type RegisteredCodec, decodeOnlyCodecs, lookupCodec, registeredCodecNames } from "./codec-registry.js";
import type { CodecEntryMetadata } from "./compressor-spec.js";
import { codecDataType } from "./dtype-map.js";
import { ZarrCorruptChunkError, ZarrUnknownCodecError, ZarrUnsupportedError } from "./errors.js";

interface ChunkLike {
  data: TypedArray;
  shape: number[];
  stride: number[];
}

export interface DecodedChunk {
  data: TypedArray;
  strides: number[];
}

export interface ChunkPipeline {
  /** `key` and the array description only name the chunk in errors. */
  decode(bytes: Uint8Array, key: string): Promise<DecodedChunk>;
  encode(data: TypedArray, key: string): Promise<Uint8Array>;
  /** Throws, naming the codec, when a codec of the chain cannot encode: before any write. */
  checkWritable(): void;
}

interface NamedCodec {
  name: string;
  codec: RegisteredCodec;
}

export async function createChunkPipeline(
  codecs: readonly CodecEntryMetadata[],
  dtype: DType,
  chunks: readonly number[],
  where: string,
): Promise<ChunkPipeline> {
  const lanes = dtypeInfo(dtype).lanes;
  const codecShape = lanes === 1 ? [...chunks] : [...chunks, lanes];
  const metadata = { dataType: codecDataType(dtype), shape: codecShape, codecs, fillValue: 0 };
  const arrayToArray: NamedCodec[] = [];
  const bytesToBytes: NamedCodec[] = [];
  let arrayToBytes: NamedCodec | undefined;
  for (const entry of codecs) {
    if (entry.name === "sharding_indexed") {
      throw new ZarrUnsupportedError(`${where} is sharded; tessera does not read or write sharded Zarr v3 arrays yet, rewrite it without sharding`);
    }
    const codecClass = await lookupCodec(entry.name);
    if (!codecClass) {
      throw new ZarrUnknownCodecError(
        `${where} uses codec "${entry.name}", which no registered codec implements; ` +
          `recompress it with one of blosc, zstd, lz4, gzip, zlib (known codecs: ${registeredCodecNames().join(", ")})`,
      );
    }
    const codec = codecClass.fromConfig(lanes === 1 ? entry.configuration ?? {} : pairConfiguration(entry, chunks.length, dtypeInfo(dtype).itemsize), metadata);
    const named = { name: entry.name, codec };
    if (codec.kind === "array_to_array") arrayToArray.push(named);
    else if (codec.kind === "array_to_bytes") arrayToBytes = named;
    else bytesToBytes.push(named);
  }
  arrayToBytes ??= { name: "bytes", codec: (await lookupCodec("bytes"))!.fromConfig({ endian: "little" }, metadata) };

  const elementCount = shapeSize(chunks);
  const itemsize = dtypeInfo(dtype).itemsize;
  const storage = dtypeInfo(dtype).array;
  const rawBytesKnown = arrayToBytes.name === "bytes";

  const decodeOnly = codecs.find((entry) => decodeOnlyCodecs.has(entry.name))?.name;

  const corrupt = (key: string, detail: string, cause?: unknown) =>
    new ZarrCorruptChunkError(
      `chunk "${key}" of ${where} is corrupt: ${detail}; rewrite the chunk (or delete it to read the fill value)`,
      { cause },
    );

  return {
    checkWritable() {
      if (decodeOnly === undefined) return;
      throw new ZarrUnsupportedError(
        `${where} is stored with the ${decodeOnly.replace(/^numcodecs\./, "")} codec, which tessera reads but cannot write; nothing was written. ` +
          "Write the data to a new array (blosc, zstd, lz4, gzip or zlib), or re-encode this one with zarr-python first",
      );
    },

    async decode(bytes, key) {
      let step = "";
      try {
        for (let i = bytesToBytes.length - 1; i >= 0; i--) {
          step = bytesToBytes[i].name;
          bytes = (await bytesToBytes[i].codec.decode(bytes)) as Uint8Array;
        }
        if (rawBytesKnown && bytes.byteLength !== elementCount * itemsize) {
          throw corrupt(key, `it decoded to ${bytes.byteLength} bytes, a chunk of [${chunks.join(", ")}] ${dtype} has ${elementCount * itemsize}`);
        }
        step = arrayToBytes.name;
        let chunk = (await arrayToBytes.codec.decode(bytes)) as ChunkLike;
        for (let i = arrayToArray.length - 1; i >= 0; i--) {
          step = arrayToArray[i].name;
          chunk = (await arrayToArray[i].codec.decode(chunk)) as ChunkLike;
        }
        if (!(chunk.data instanceof storage) || chunk.data.length !== elementCount * lanes) {
          throw corrupt(key, `it decoded to ${chunk.data.length / lanes} elements, a chunk of [${chunks.join(", ")}] has ${elementCount}`);
        }
        // The pair axis has stride 1 (last in every order): the elements' strides are the others halved.
        return { data: chunk.data, strides: lanes === 1 ? chunk.stride : chunk.stride.slice(0, -1).map((stride) => stride / lanes) };
      } catch (error) {
        if (error instanceof ZarrCorruptChunkError) throw error;
        throw corrupt(key, `the ${step} codec failed (${error instanceof Error ? error.message : String(error)})`, error);
      }
    },

    async encode(data, key) {
      let step = "";
      try {
        let chunk: ChunkLike = { data, shape: codecShape, stride: cStrides(codecShape) };
        for (const { name, codec } of arrayToArray) {
          step = name;
          chunk = (await codec.encode(chunk)) as ChunkLike;
        }
        step = arrayToBytes.name;
        let bytes = (await arrayToBytes.codec.encode(chunk)) as Uint8Array;
        for (const { name, codec } of bytesToBytes) {
          step = name;
          bytes = (await codec.encode(bytes)) as Uint8Array;
        }
        return bytes;
      } catch (error) {
        throw new ZarrUnsupportedError(
          `cannot encode chunk "${key}" of ${where}: the ${step} codec failed (${error instanceof Error ? error.message : String(error)})`,
          { cause: error },
        );
      }
    },
  };
}

/**
 * A codec's configuration for a complex array's chunk of `ndim` axes plus the pair axis: a
 * transpose keeps the pair axis last (fastest), blosc shuffles by the complex itemsize.
 */
function pairConfiguration(entry: CodecEntryMetadata, ndim: number, itemsize: number): Record<string, unknown> {
  const configuration = { ...(entry.configuration ?? {}) };
  if (entry.name === "transpose") {
    const order = configuration.order ?? "C";
    const axes = order === "F" ? Array.from({ length: ndim }, (_, i) => ndim - 1 - i) : order === "C" ? Array.from({ length: ndim }, (_, i) => i) : order;
    if (!Array.isArray(axes)) return configuration;
    configuration.order = [...axes, ndim];
  }
  if (entry.name.endsWith("blosc") && configuration.typesize === undefined) configuration.typesize = itemsize;
  return configuration;
}
