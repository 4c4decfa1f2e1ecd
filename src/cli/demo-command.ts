/**
 * `tessera demo`: the README's main job. Makes a synthetic volume (unless --input is given),
 * starts a LocalCluster, runs the course's DoG pipeline on it, and prints the time, the
 * dashboard link and where the result is.
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Client } from "../client/client.js";
import { LocalCluster } from "../deploy/local-cluster.js";
import { formatDuration } from "../core/units.js";
import { InvalidOptionError } from "../core/errors.js";
import { writeSyntheticVolume } from "./synthetic-volume.js";
import { runDogPipeline } from "./dog-pipeline.js";
import { positiveInteger } from "./common-options.js";
import { exitCodeHelp, exitCodes } from "./exit-codes.js";
import { describeHaloAdvice } from "../array/halo-advice.js";

interface DemoFlags {
  shape: [number, number, number];
  input?: string;
  component: string;
  output: string;
  workers: number;
  threads: number;
  dashboard: boolean;
}

function shapeOption(value: string): [number, number, number] {
  const parts = value.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`--shape must be three positive integers Z,Y,X, got "${value}"`);
  }
  return parts as [number, number, number];
}

export function registerDemoCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("demo")
    .description("run the course's difference-of-Gaussians pipeline on a LocalCluster")
    .option("--shape <Z,Y,X>", "shape of the synthetic volume", shapeOption, [64, 256, 256])
    .option("--input <path.zarr>", "use this Zarr volume instead of a synthetic one")
    .option("--component <path>", "array inside the input group", "0/0")
    .option("--output <path.zarr>", "where to write the result", join(tmpdir(), "tessera-demo", "dog.zarr"))
    .option("--workers <n>", "worker processes", positiveInteger("--workers"), 2)
    .option("--threads <n>", "threads per worker", positiveInteger("--threads"), 1)
    .option("--no-dashboard", "do not serve the dashboard")
    .addHelpText("after", exitCodeHelp)
    .action(async (flags: DemoFlags) => setExit(await runDemo(flags)));
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

async function runDemo(flags: DemoFlags): Promise<number> {
  let input = flags.input;
  // Not an InvalidArgumentError: that is for option parsers, and main() would not print it from here.
  if (input && !existsSync(input)) throw new InvalidOptionError(`--input ${input} does not exist`);
  if (!input) {
    input = join(tmpdir(), "tessera-demo", `volume-${flags.shape.join("x")}.zarr`);
    process.stdout.write(`Writing a synthetic ${flags.shape.join("×")} uint16 volume to ${input} …\n`);
    await writeSyntheticVolume(input, { shape: flags.shape });
  }
  const cluster = await LocalCluster.start({ nWorkers: flags.workers, threadsPerWorker: flags.threads, dashboardAddress: flags.dashboard ? ":8787" : false });
  const client = await Client.connect(cluster);
  try {
    process.stdout.write(`Cluster: ${flags.workers} workers × ${flags.threads} thread(s)${client.dashboardLink ? `, dashboard ${client.dashboardLink}` : ""}\n`);
    const started = performance.now();
    const result = await runDogPipeline({ input, component: flags.component, output: flags.output });
    const seconds = (performance.now() - started) / 1000;
    const voxels = result.shape.reduce((a, b) => a * b, 1);
    process.stdout.write(`DoG of ${result.shape.join("×")} (${result.tasks} output chunks) in ${formatDuration(seconds)} ` +
      `(${(voxels / seconds / 1e6).toFixed(1)} Mvoxel/s)\nResult: ${flags.output}\n`);
    process.stdout.write(`${capitalised(describeHaloAdvice(result.chunks, result.depth, result.halo))}\n`);
    if (client.dashboardLink) process.stdout.write(`Dashboard: ${client.dashboardLink}\n`);
  } finally {
    await client.close();
    await cluster.close();
  }
  return exitCodes.ok;
}
