// The workload the dashboard is watched under: the course's difference-of-Gaussians
// pipeline (fromZarr → squeeze → rechunk → two mapOverlap Gaussian filters → subtract →
// toZarr) on a synthetic uint16 volume, sized to keep two workers busy for a few seconds.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";

export interface DogWorkload {
  input: string;
  output: string;
  run(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function prepareDogWorkload(shape: [number, number, number] = [160, 384, 384]): Promise<DogWorkload> {
  const directory = await mkdtemp(join(tmpdir(), "tessera-dog-"));
  const input = join(directory, "volume.zarr");
  const output = join(directory, "dog.zarr");
  await writeSyntheticVolume(input, { shape, seed: 7 });
  return {
    input, output,
    run: async () => {
      const data = await ta.fromZarr(input, { component: "0/0" });
      const volume = data.squeeze().rechunk([16, 64, 64]);
      const sharp = volume.mapOverlap(gaussianFilter, { depth: 24, boundary: "nearest" }, { sigma: 3, order: 0, mode: "nearest" });
      const blurred = volume.mapOverlap(gaussianFilter, { depth: 24, boundary: "nearest" }, { sigma: 6, order: 0, mode: "nearest" });
      await ta.subtract(sharp, blurred).toZarr(output, { overwrite: true });
    },
    cleanup: () => rm(directory, { recursive: true, force: true }),
  };
}
