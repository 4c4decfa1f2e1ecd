/**
 * Blosc-LZ4 + byte shuffle, one chunk at a time on one thread: tessera's JavaScript paths,
 * tessera's WebAssembly codec (src/zarr/wasm/) and numcodecs' Blosc (c-blosc 1.21, one thread,
 * the anchor), in the same run, on the same bytes:
 *
 * - "dog-input": an 8 MiB uint16 storage chunk (64 × 256 × 256) of the DoG bench's synthetic
 *   volume, as written to disk (clevel 5, shuffle, c-blosc's block size);
 * - "dog-output": a 512 KiB float32 chunk (32 × 64 × 64) like a DoG output: the difference of
 *   two box-smoothed copies of that input.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/zarr-codec.js [--repeats N]
 *
 * Decoding reads the frame tessera writes (c-blosc decodes the same frame); encoding writes
 * lz4 clevel 5 shuffle frames. Times are medians of N (default 30) after a warm-up; MB/s counts
 * the uncompressed bytes; "× c-blosc" is c-blosc's time divided by ours (above 1: faster).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeSyntheticVolume } from "../src/cli/synthetic-volume.js";
import { decodeBloscFrame, encodeBloscFrame, type BloscFrameOptions } from "../src/zarr/blosc-frame.js";
import { returnEncodedBytes } from "../src/zarr/chunk-scratch.js";
import { isBloscWasmAvailable, setBloscWasmEnabled } from "../src/zarr/wasm/blosc-codec.js";
import { checkFlags, fmt, median, printTable, runAnchor } from "./bench-support.js";

checkFlags(["--repeats"]);
const repeatsAt = process.argv.indexOf("--repeats");
const repeats = repeatsAt > 0 ? Number(process.argv[repeatsAt + 1]) : 30;
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats takes a whole number ≥ 1, got ${process.argv[repeatsAt + 1]}`);

async function dogInputChunk(directory: string): Promise<Uint8Array> {
  const store = path.join(directory, "volume.zarr");
  await writeSyntheticVolume(store, { shape: [64, 256, 256] });
  const arrayDirectory = path.join(store, "0", "0");
  const chunkFile = readdirSync(arrayDirectory).find((name) => !name.startsWith("."));
  if (chunkFile === undefined) throw new Error(`no chunk written under ${arrayDirectory}`);
  return decodeBloscFrame(new Uint8Array(readFileSync(path.join(arrayDirectory, chunkFile))));
}

/** A DoG-like float32 chunk: two box means (radius 1 and 4, along the row) of the input's first rows, subtracted. */
function dogOutputChunk(input: Uint8Array): Uint8Array {
  const source = new Uint16Array(input.buffer, input.byteOffset, 32 * 64 * 64);
  const output = new Float32Array(source.length);
  const mean = (i: number, radius: number) => {
    let sum = 0;
    for (let k = -radius; k <= radius; k++) sum += source[Math.min(source.length - 1, Math.max(0, i + k))];
    return sum / (2 * radius + 1);
  };
  for (let i = 0; i < source.length; i++) output[i] = mean(i, 1) - mean(i, 4);
  return new Uint8Array(output.buffer);
}

async function medianMs(run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const directory = mkdtempSync(path.join(tmpdir(), "tessera-zarr-codec-"));
try {
  const cases = [
    { name: "dog-input", typesize: 2, data: await dogInputChunk(directory) },
    { name: "dog-output", typesize: 4, data: new Uint8Array(0) },
  ];
  cases[1].data = dogOutputChunk(cases[0].data);
  const frames = new Map<string, Uint8Array>();
  for (const { name, typesize, data } of cases) {
    const options: BloscFrameOptions = { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize, blocksize: 0 };
    const frame = (await encodeBloscFrame(data, options)).slice();
    frames.set(name, frame);
    writeFileSync(path.join(directory, `${name}.data`), data);
    writeFileSync(path.join(directory, `${name}.frame`), frame);
  }
  writeFileSync(path.join(directory, "cases.json"), JSON.stringify(cases.map(({ name, typesize }) => ({ name, typesize }))));
  const anchor = runAnchor("numcodecs-blosc.py", [directory, String(repeats)]);

  const rows: Array<Record<string, string | number>> = [];
  for (const { name, typesize, data } of cases) {
    const frame = frames.get(name)!;
    const options: BloscFrameOptions = { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize, blocksize: 0 };
    const megabytes = data.length / 1e6;
    const measured: Record<string, { decode: number; encode: number }> = {};
    for (const path of ["javascript", "webassembly"] as const) {
      if (path === "webassembly" && !isBloscWasmAvailable()) continue;
      setBloscWasmEnabled(path === "webassembly");
      const decode = await medianMs(async () => void (await decodeBloscFrame(frame, data.length)));
      const encode = await medianMs(async () => returnEncodedBytes(await encodeBloscFrame(data, options)));
      measured[path] = { decode, encode };
    }
    setBloscWasmEnabled(true);
    if (anchor !== null) measured["c-blosc (numcodecs, 1 thread)"] = { decode: anchor[`${name}.decode`], encode: anchor[`${name}.encode`] };
    for (const [label, { decode, encode }] of Object.entries(measured)) {
      rows.push({
        chunk: `${name} (${(data.length / 2 ** 20).toFixed(2)} MiB, ratio ${(data.length / frame.length).toFixed(2)})`,
        path: label,
        "decode ms": fmt(decode, 2),
        "decode MB/s": fmt(megabytes / (decode / 1000), 0),
        "decode × c-blosc": anchor === null ? "n/a" : fmt(anchor[`${name}.decode`] / decode, 2),
        "encode ms": fmt(encode, 2),
        "encode MB/s": fmt(megabytes / (encode / 1000), 0),
        "encode × c-blosc": anchor === null ? "n/a" : fmt(anchor[`${name}.encode`] / encode, 2),
      });
    }
  }
  printTable(`Blosc lz4 clevel 5 + byte shuffle, one chunk on one thread; medians of ${repeats}`, rows);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
