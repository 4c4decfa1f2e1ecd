/**
 * A synthetic light-sheet-like volume for the demo and benchmarks: Poisson-distributed
 * background counts with bright Gaussian blobs, uint16, stored as the course's data is
 * (an OME-Zarr-like group with the array at component "0/0", shape (1, 1, Z, Y, X)).
 * Deterministic for a seed, written plane block by plane block so memory stays small.
 */
import { createArray, writeChunk } from "../zarr/index.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson sample by inversion for small means, normal approximation above 30. */
function poisson(mean: number, random: () => number): number {
  if (mean > 30) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > limit);
  return k - 1;
}

export interface SyntheticVolumeOptions {
  shape: [number, number, number];
  component?: string;
  seed?: number;
  /** Storage chunk (Z, Y, X) of the array; default (64, 256, 256) capped by the shape. */
  chunks?: [number, number, number];
}

export async function writeSyntheticVolume(path: string, options: SyntheticVolumeOptions): Promise<void> {
  const [nz, ny, nx] = options.shape;
  const chunk = options.chunks ?? [Math.min(64, nz), Math.min(256, ny), Math.min(256, nx)];
  const component = options.component ?? "0/0";
  const seed = options.seed ?? 42;
  const ref = { path, component };
  await createArray(ref, { shape: [1, 1, nz, ny, nx], chunks: [1, 1, ...chunk], dtype: "uint16", overwrite: true });
  const random = mulberry32(seed);
  const blobCount = Math.max(8, Math.round((nz * ny * nx) / 40_000));
  const blobs = Array.from({ length: blobCount }, () => ({
    z: random() * nz, y: random() * ny, x: random() * nx, sigma: 2 + random() * 4, amplitude: 500 + random() * 3000,
  }));
  for (let z0 = 0; z0 < nz; z0 += chunk[0]) {
    for (let y0 = 0; y0 < ny; y0 += chunk[1]) {
      for (let x0 = 0; x0 < nx; x0 += chunk[2]) {
        const dz = Math.min(chunk[0], nz - z0);
        const dy = Math.min(chunk[1], ny - y0);
        const dx = Math.min(chunk[2], nx - x0);
        const data = allocate("uint16", dz * dy * dx) as Uint16Array;
        const blockRandom = mulberry32(seed * 7919 + z0 * 31 + y0 * 17 + x0);
        for (let i = 0; i < data.length; i++) data[i] = poisson(100, blockRandom);
        for (const blob of blobs) {
          const reach = Math.ceil(3 * blob.sigma);
          for (let z = Math.max(z0, Math.floor(blob.z - reach)); z < Math.min(z0 + dz, blob.z + reach); z++) {
            for (let y = Math.max(y0, Math.floor(blob.y - reach)); y < Math.min(y0 + dy, blob.y + reach); y++) {
              for (let x = Math.max(x0, Math.floor(blob.x - reach)); x < Math.min(x0 + dx, blob.x + reach); x++) {
                const r2 = (z - blob.z) ** 2 + (y - blob.y) ** 2 + (x - blob.x) ** 2;
                const i = ((z - z0) * dy + (y - y0)) * dx + (x - x0);
                data[i] = Math.min(65535, data[i] + Math.round(blob.amplitude * Math.exp(-r2 / (2 * blob.sigma ** 2))));
              }
            }
          }
        }
        const block = new NDArray(data, [1, 1, dz, dy, dx], { dtype: "uint16" });
        await writeChunk(ref, [0, 0, z0 / chunk[0], y0 / chunk[1], x0 / chunk[2]], block);
      }
    }
  }
}
