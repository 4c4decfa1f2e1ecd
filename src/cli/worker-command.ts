/**
 * `tessera worker <address> | --scheduler-file f.json`: starts one worker under a nanny (a
 * supervising process that restarts it when it dies or passes its memory budget, as
 * dask-worker does), or with --nworkers N one nanny per worker process, named
 * <name>-0 … <name>-(N-1). `--no-nanny` runs the worker in this process.
 * SIGTERM/SIGINT retire gracefully: results are handed to other workers first.
 * Memory flags are validated before anything starts (exit code 2 on a bad value).
 */
import { InvalidArgumentError, type Command } from "commander";
import { InvalidOptionError } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { resolveCredential } from "../comm/credential.js";
import { waitForSchedulerFile } from "../comm/scheduler-file.js";
import { parseAddress } from "../comm/address.js";
import { WorkerServer } from "../worker/server/worker-server.js";
import { parseMemoryLimit } from "../worker/memory/memory-limit.js";
import { type Fraction, type MemoryPolicy, memoryOptionsOf, resolveMemoryPolicy } from "../worker/memory/memory-policy.js";
import { checkLocalDirectory } from "../worker/memory/local-directory.js";
import type { SpillCompression } from "../worker/memory/spill-compression.js";
import { WorkerProcess } from "../deploy/worker-process.js";
import { Nanny, linkToNanny, type WorkerExit } from "../deploy/nanny.js";
import { batchJobId, bytesOption, collectOption, durationOption, positiveInteger, resourcesOption, securityFromFlags, type TlsFlags } from "./common-options.js";
import type { Resources } from "../protocol/resources.js";
import { exitCodeHelp, exitCodes } from "./exit-codes.js";

interface WorkerFlags extends TlsFlags {
  schedulerFile?: string;
  nthreads: number;
  nworkers: number;
  memoryLimit: string | number;
  nanny: boolean;
  memoryTargetFraction?: Fraction;
  memorySpillFraction?: Fraction;
  memoryPauseFraction?: Fraction;
  memoryTerminateFraction?: Fraction;
  maxSpill?: string | number | false;
  memoryMonitorInterval?: number;
  spillCompression?: SpillCompression;
  pauseTimeout?: number | null;
  name?: string;
  localDirectory?: string;
  deathTimeout: number;
  lifetime?: number;
  lifetimeStagger?: number;
  interface?: string;
  host?: string;
  credentialFile?: string;
  resources?: Resources;
  preload: string[];
}

function fractionOption(flag: string) {
  return (value: string): Fraction => {
    if (value.toLowerCase() === "false") return false;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError(`${flag} must be a fraction above 0 and at most 1, or false, got "${value}"`);
    return n;
  };
}

function maxSpillOption(value: string): string | number | false {
  return value.toLowerCase() === "false" ? false : bytesOption("--max-spill")(value);
}

function spillCompressionOption(value: string): SpillCompression {
  if (value === "auto" || value === "zlib") return value;
  if (value.toLowerCase() === "false") return false;
  throw new InvalidArgumentError(`--spill-compression must be auto, zlib or false, got "${value}"`);
}

function pauseTimeoutOption(value: string): number | null {
  return ["none", "null", "never"].includes(value.toLowerCase()) ? null : durationOption("--pause-timeout")(value);
}

export function registerWorkerCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("worker")
    .description("start a worker (or several with --nworkers) for a scheduler")
    .argument("[address]", "scheduler address, e.g. tcp://10.0.0.5:8786")
    .option("--scheduler-file <path>", "read the scheduler's address and credential from this file (waits for it to appear)")
    .option("--nthreads <n>", "compute threads per worker", positiveInteger("--nthreads"), 1)
    .option("--nworkers <n>", "worker processes to start", positiveInteger("--nworkers"), 1)
    .option("--memory-limit <bytes>", 'memory per worker: "4GiB", "auto", a fraction, or 0 for none', bytesOption("--memory-limit"), "auto")
    .option("--no-nanny", "run the worker in this process, without a supervisor that restarts it")
    .option("--memory-target-fraction <f>", "spill results to disk above this fraction of the limit (managed memory), or false", fractionOption("--memory-target-fraction"))
    .option("--memory-spill-fraction <f>", "spill above this fraction of the limit (process memory), or false", fractionOption("--memory-spill-fraction"))
    .option("--memory-pause-fraction <f>", "stop starting tasks above this fraction of the limit, or false", fractionOption("--memory-pause-fraction"))
    .option("--memory-terminate-fraction <f>", "the nanny restarts the worker above this fraction of the limit, or false", fractionOption("--memory-terminate-fraction"))
    .option("--max-spill <bytes>", "most bytes of spilled data on disk, or false for no cap", maxSpillOption)
    .option("--memory-monitor-interval <duration>", "how often process memory is measured", durationOption("--memory-monitor-interval"))
    .option("--spill-compression <mode>", "auto, zlib or false", spillCompressionOption)
    .option("--pause-timeout <duration>", "fail waiting tasks after a pause this long with nothing left to spill (none: wait for ever)", pauseTimeoutOption)
    .option("--name <name>", "worker name (unique in the cluster)")
    .option("--local-directory <dir>", "node-local scratch for spilled data")
    .option("--death-timeout <duration>", "give up if the scheduler cannot be reached for this long", durationOption("--death-timeout"), 60)
    .option("--lifetime <duration>", "retire gracefully after this long (default: distributed.worker.lifetime.duration)", durationOption("--lifetime"))
    .option("--lifetime-stagger <duration>", "randomise lifetimes by ± this much (default: distributed.worker.lifetime.stagger)", durationOption("--lifetime-stagger"))
    .option("--interface <name>", "bind to this network interface's address (e.g. ib0)")
    .option("--host <host>", "bind to this host address")
    .option("--credential-file <path>", "file holding the cluster credential (mode 600)")
    .option("--resources <pairs>", 'abstract resources this worker offers, e.g. "GPU=2,MEM=64e9" (tasks ask for them with resources: { GPU: 1 })', resourcesOption)
    .option("--preload <module>", "a module whose tesseraSetup(worker) runs before the worker joins (repeatable)", collectOption, [])
    .option("--tls-ca-file <path>").option("--tls-cert <path>").option("--tls-key <path>")
    .addHelpText("after", `${exitCodeHelp}\n\nThe credential comes from --credential-file, the scheduler file, or TESSERA_CREDENTIAL.`)
    .action(async (address: string | undefined, flags: WorkerFlags) => setExit(await runWorkers(address, flags)));
}

async function runWorkers(address: string | undefined, flags: WorkerFlags): Promise<number> {
  const logger = createLogger("worker");
  if (!address && !flags.schedulerFile) throw new InvalidOptionError("give the scheduler address or --scheduler-file");
  // Everything that can be wrong with the memory settings fails here, before any process starts.
  const memoryLimit = parseMemoryLimit(flags.memoryLimit, flags.nthreads, (m) => logger.warn(m));
  const policy = resolveMemoryPolicy(memoryLimit, memoryOptionsOf(flags));
  if (flags.localDirectory) await checkLocalDirectory(flags.localDirectory, () => {});
  let schedulerAddress = address ?? "";
  let fileCredential: string | undefined;
  if (flags.schedulerFile) {
    const file = await waitForSchedulerFile(flags.schedulerFile, flags.deathTimeout);
    schedulerAddress ||= file.address;
    fileCredential = file.credential;
  }
  parseAddress(schedulerAddress); // an unusable address is a usage error here, not in every child
  const credential = resolveCredential({ credentialFile: flags.credentialFile, fromSchedulerFile: fileCredential });
  if (flags.nanny || flags.nworkers > 1) return superviseWorkers(schedulerAddress, credential, flags, memoryLimit, policy);
  const worker = await WorkerServer.start({
    schedulerAddress, credential, security: securityFromFlags(flags), nthreads: flags.nthreads,
    name: flags.name, memoryLimit, ...memoryOptionsOf(flags),
    localDirectory: flags.localDirectory, deathTimeout: flags.deathTimeout, lifetime: flags.lifetime,
    lifetimeStagger: flags.lifetimeStagger, interface: flags.interface, host: flags.host, jobId: batchJobId(), logger,
    ...(flags.resources ? { resources: flags.resources } : {}), preload: flags.preload,
    // Started by a nanny (tessera worker, LocalCluster): it restarts this worker for client.restart().
    ...(process.env.TESSERA_NANNY === "1" ? { nanny: `pid ${process.ppid}` } : {}),
  });
  const link = linkToNanny(worker, logger);
  const reason = await worker.finished;
  await link.report(reason, worker.restartRequested);
  link.detach();
  return reason.startsWith("lost") ? exitCodes.failed : exitCodes.ok;
}

/** One nanny per worker process; they stop together on SIGTERM/SIGINT. */
async function superviseWorkers(schedulerAddress: string, credential: string, flags: WorkerFlags, memoryLimit: number, policy: MemoryPolicy): Promise<number> {
  const logger = createLogger("nanny");
  const base = flags.name ?? (flags.nworkers > 1 ? `worker-${process.pid}` : undefined);
  const passThrough = [
    "--death-timeout", String(flags.deathTimeout),
    ...(flags.lifetime !== undefined ? ["--lifetime", String(flags.lifetime)] : []),
    ...(flags.lifetimeStagger !== undefined ? ["--lifetime-stagger", String(flags.lifetimeStagger)] : []),
    ...(flags.interface ? ["--interface", flags.interface] : []), ...(flags.host ? ["--host", flags.host] : []),
    ...(flags.tlsCaFile ? ["--tls-ca-file", flags.tlsCaFile, "--tls-cert", flags.tlsCert ?? "", "--tls-key", flags.tlsKey ?? ""] : []),
    ...(flags.resources ? ["--resources", Object.entries(flags.resources).map(([name, amount]) => `${name}=${amount}`).join(",")] : []),
    ...flags.preload.flatMap((module) => ["--preload", module]),
  ];
  const nannies = Array.from({ length: flags.nworkers }, (_, index) => {
    const name = flags.nworkers > 1 ? `${base}-${index}` : base;
    return new Nanny({
      name: name ?? "worker", logger, memoryLimit, terminateFraction: policy.terminate, monitorIntervalMs: policy.monitorIntervalMs,
      spawn: (restartReason) => new WorkerProcess({
        schedulerAddress, credential, name, nthreads: flags.nthreads, memoryLimit: memoryLimit || undefined,
        memory: memoryOptionsOf(flags), localDirectory: flags.localDirectory, extraArgs: passThrough, forwardLogs: true,
        restartReason,
      }),
    });
  });
  const stop = () => {
    for (const nanny of nannies) nanny.retire();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  const exits: WorkerExit[] = await Promise.all(nannies.map((nanny) => nanny.finished));
  process.off("SIGTERM", stop);
  process.off("SIGINT", stop);
  if (exits.every((exit) => exit.code === 0 && (exit.cause === "closed" || exit.cause === "stopped"))) return exitCodes.ok;
  // A worker that refused its options before registering explains itself (its log is forwarded).
  return exits.some((exit) => !exit.registered && exit.code === exitCodes.usage) ? exitCodes.usage : exitCodes.failed;
}
