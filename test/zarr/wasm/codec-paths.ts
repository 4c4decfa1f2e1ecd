/**
 * What the WebAssembly codec tests share: data like the DoG's (and harder), and running one
 * encode or decode through both paths (WebAssembly, then the JavaScript forced) to compare.
 * Not a test file.
 */
import { type BloscFrameOptions, decodeBloscFrame, encodeBloscFrame } from "../../../src/zarr/blosc-frame.js";
import { setBloscWasmEnabled } from "../../../src/zarr/wasm/blosc-codec.js";

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

/** Data kinds: random bytes, smooth ramps, constants, uint16 noise on a slow ramp (the DoG's input). */
export function sample(kind: "random" | "ramp" | "constant" | "uint16-noise", bytes: number, seed: number): Uint8Array {
  const data = new Uint8Array(bytes);
  const next = generator(seed);
  for (let i = 0; i < bytes; i++) {
    if (kind === "random") data[i] = next() >>> 24;
    else if (kind === "ramp") data[i] = (i >>> 5) & 0xff;
    else if (kind === "constant") data[i] = 7;
    else data[i] = i % 2 === 0 ? (100 + ((i >>> 10) % 50) + (next() >>> 28)) & 0xff : 3 + ((i >>> 16) & 1);
  }
  return data;
}

export interface PathOutcome {
  bytes?: Uint8Array;
  error?: string;
}

async function outcome(run: () => Promise<Uint8Array>): Promise<PathOutcome> {
  try {
    return { bytes: (await run()).slice() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** The same call with the WebAssembly codec, then with the JavaScript paths forced. */
export async function bothPaths(run: () => Promise<Uint8Array>): Promise<{ wasm: PathOutcome; js: PathOutcome }> {
  const wasm = await outcome(run);
  const previous = setBloscWasmEnabled(false);
  try {
    return { wasm, js: await outcome(run) };
  } finally {
    setBloscWasmEnabled(previous);
  }
}

export const decodeBoth = (frame: Uint8Array, expected?: number) => bothPaths(() => decodeBloscFrame(frame, expected));
export const encodeBoth = (data: Uint8Array, options: BloscFrameOptions) => bothPaths(() => encodeBloscFrame(data, options));

/** A one-block LZ4 frame (typesize 1, not split) holding `stream` as its only stream, for `nbytes` bytes. */
export function lz4Frame(stream: Uint8Array, nbytes: number, typesize = 1, shuffle = false): Uint8Array {
  const frame = new Uint8Array(24 + stream.length);
  const view = new DataView(frame.buffer);
  frame[0] = 2;
  frame[1] = 1;
  frame[2] = (1 << 5) | 0x10 | (shuffle ? 1 : 0);
  frame[3] = typesize;
  view.setInt32(4, nbytes, true);
  view.setInt32(8, nbytes, true);
  view.setInt32(12, frame.length, true);
  view.setInt32(16, 20, true);
  view.setInt32(20, stream.length, true);
  frame.set(stream, 24);
  return frame;
}
