/**
 * The course's local script, rewritten for tessera: difference of Gaussians on a 3-D volume
 * stored in Zarr, on a LocalCluster on this machine.
 *
 *   npx tsx examples/dog-local.ts /data/3d.zarr /data/dog.zarr
 *
 * (Without arguments it makes a synthetic volume first, like `tessera demo`.)
 */
import { Client, LocalCluster } from "tessera";
import * as ta from "tessera/array";
import * as ndimage from "tessera/ndimage";
import { writeSyntheticVolume } from "../src/cli/synthetic-volume.js";

const input = process.argv[2] ?? "/tmp/tessera-example/3d.zarr";
const output = process.argv[3] ?? "/tmp/tessera-example/dog.zarr";
if (!process.argv[2]) await writeSyntheticVolume(input, { shape: [64, 256, 256] });

const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, memoryLimit: "4GiB" });
const client = await Client.connect(cluster);
console.log("dashboard:", client.dashboardLink);

const data = await ta.fromZarr(input, { component: "0/0" });
const vol = data.squeeze().rechunk([32, 64, 64]);
const hi = vol.mapOverlap(ndimage.gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 3, order: 0, mode: "nearest" });
const lo = vol.mapOverlap(ndimage.gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 10, order: 0, mode: "nearest" });
const dog = ta.subtract(hi, lo);
const started = performance.now();
await dog.toZarr(output, { overwrite: true });
console.log(`wrote ${output} (${dog.shape.join("×")}, ${dog.dtype}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

await client.close();
await cluster.close();
