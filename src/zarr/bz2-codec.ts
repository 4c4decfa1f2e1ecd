/**
 * numcodecs' BZ2 codec, read-only. Fiji/N5 tools and older pipelines write bz2-compressed
 * chunks; tessera decodes them with seek-bzip (pure JavaScript, decode only) and refuses to
 * write bz2, naming the codecs it does write.
 *
 * Decoding is bounded like every other byte codec: the output stream refuses a byte past one
 * raw chunk of the array, so a hostile stream cannot take more memory than the chunk it
 * claims to be (seek-bzip would otherwise grow its buffer without limit).
 */
import Bunzip from "seek-bzip";
import { type ChunkMetadataLike, rawChunkBytes } from "./compressor-codecs.js";

/** seek-bzip's output-stream protocol: it calls writeByte once per decoded byte. */
class BoundedOutput {
  buffer: Uint8Array;
  pos = 0;
  constructor(private readonly maxBytes: number | undefined) {
    this.buffer = new Uint8Array(Math.min(maxBytes ?? 1 << 16, 1 << 16));
  }

  writeByte(byte: number): void {
    if (this.pos === this.buffer.length) {
      if (this.maxBytes !== undefined && this.pos >= this.maxBytes) {
        throw new Error(`the bz2 stream decodes to more than a chunk of this array holds (${this.maxBytes} bytes)`);
      }
      const grown = new Uint8Array(Math.min(this.buffer.length * 2, this.maxBytes ?? Infinity));
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.pos++] = byte;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }
}

export class Bz2Codec {
  readonly kind = "bytes_to_bytes";
  constructor(readonly maxDecodedBytes?: number) {}

  static fromConfig(_configuration: unknown, metadata?: ChunkMetadataLike): Bz2Codec {
    return new Bz2Codec(rawChunkBytes(metadata));
  }

  encode(): Uint8Array {
    throw new Error("tessera reads bz2-compressed Zarr chunks but does not write them; write to a new array with blosc, zstd, lz4, gzip or zlib");
  }

  decode(data: Uint8Array): Uint8Array {
    const output = new BoundedOutput(this.maxDecodedBytes);
    try {
      // multistream: numcodecs' BZ2 writes one stream per chunk, but concatenated streams are valid bz2.
      Bunzip.decode(Buffer.from(data.buffer, data.byteOffset, data.byteLength), output, true);
    } catch (error) {
      throw new Error(`bz2 chunk cannot be decoded: ${(error as Error).message}`, { cause: error });
    }
    return output.bytes();
  }
}
