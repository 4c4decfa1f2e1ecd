/**
 * `tessera worker <address> | --scheduler-file f.json`: starts one worker, or with
 * --nworkers N a supervisor that runs N worker processes named <name>-0 … <name>-(N-1)
 * (as dask-worker --nworkers does) and restarts any that die while the job runs.
 * SIGTERM/SIGINT retire gracefully: results are handed to other workers first.
 */
import type { Command } from "commander";
import { InvalidOptionError } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { resolveCredential } from "../comm/credential.js";
import { waitForSchedulerFile } from "../comm/scheduler-file.js";
import { WorkerServer } from "../worker/server/worker-server.js";
import { parseMemoryLimit } from "../worker/memory/memory-limit.js";
import { WorkerProcess } from "../deploy/worker-process.js";
import { batchJobId, bytesOption, durationOption, positiveInteger, securityFromFlags, type TlsFlags } from "./common-options.js";
import { exitCodeHelp, exitCodes } from "./exit-codes.js";

interface WorkerFlags extends TlsFlags {
  schedulerFile?: string;
  nthreads: number;
  nworkers: number;
  memoryLimit: string | number;
  name?: string;
  localDirectory?: string;
  deathTimeout: number;
  lifetime?: number;
  lifetimeStagger: number;
  interface?: string;
  host?: string;
  credentialFile?: string;
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
    .option("--name <name>", "worker name (unique in the cluster)")
    .option("--local-directory <dir>", "node-local scratch for spilled data")
    .option("--death-timeout <duration>", "give up if the scheduler cannot be reached for this long", durationOption("--death-timeout"), 60)
    .option("--lifetime <duration>", "retire gracefully after this long")
    .option("--lifetime-stagger <duration>", "randomise lifetimes by ± this much", durationOption("--lifetime-stagger"), 0)
    .option("--interface <name>", "bind to this network interface's address (e.g. ib0)")
    .option("--host <host>", "bind to this host address")
    .option("--credential-file <path>", "file holding the cluster credential (mode 600)")
    .option("--tls-ca-file <path>").option("--tls-cert <path>").option("--tls-key <path>")
    .addHelpText("after", `${exitCodeHelp}\n\nThe credential comes from --credential-file, the scheduler file, or TESSERA_CREDENTIAL.`)
    .action(async (address: string | undefined, flags: WorkerFlags) => {
      if (flags.lifetime !== undefined) flags.lifetime = durationOption("--lifetime")(String(flags.lifetime));
      setExit(await runWorkers(address, flags));
    });
}

async function runWorkers(address: string | undefined, flags: WorkerFlags): Promise<number> {
  const logger = createLogger("worker");
  if (!address && !flags.schedulerFile) throw new InvalidOptionError("give the scheduler address or --scheduler-file");
  if (flags.nworkers > 1) return superviseWorkers(address, flags);
  let schedulerAddress = address ?? "";
  let fileCredential: string | undefined;
  if (flags.schedulerFile) {
    const file = await waitForSchedulerFile(flags.schedulerFile, flags.deathTimeout);
    schedulerAddress ||= file.address;
    fileCredential = file.credential;
  }
  const credential = resolveCredential({ credentialFile: flags.credentialFile, fromSchedulerFile: fileCredential });
  const worker = await WorkerServer.start({
    schedulerAddress, credential, security: securityFromFlags(flags), nthreads: flags.nthreads,
    name: flags.name, memoryLimit: parseMemoryLimit(flags.memoryLimit, flags.nthreads, (m) => logger.warn(m)),
    localDirectory: flags.localDirectory, deathTimeout: flags.deathTimeout, lifetime: flags.lifetime,
    lifetimeStagger: flags.lifetimeStagger, interface: flags.interface, host: flags.host, jobId: batchJobId(), logger,
  });
  const retire = () => worker.retire("received a termination signal");
  process.on("SIGTERM", retire);
  process.on("SIGINT", retire);
  const reason = await worker.finished;
  process.off("SIGTERM", retire);
  process.off("SIGINT", retire);
  return reason.startsWith("lost") ? exitCodes.failed : exitCodes.ok;
}

/** --nworkers N: N child worker processes, restarted if they crash, stopped together. */
async function superviseWorkers(address: string | undefined, flags: WorkerFlags): Promise<number> {
  const logger = createLogger("worker-supervisor");
  let schedulerAddress = address ?? "";
  let fileCredential: string | undefined;
  if (flags.schedulerFile) {
    const file = await waitForSchedulerFile(flags.schedulerFile, flags.deathTimeout);
    schedulerAddress ||= file.address;
    fileCredential = file.credential;
  }
  const credential = resolveCredential({ credentialFile: flags.credentialFile, fromSchedulerFile: fileCredential });
  const base = flags.name ?? `worker-${process.pid}`;
  const passThrough = [
    "--death-timeout", String(flags.deathTimeout), "--lifetime-stagger", String(flags.lifetimeStagger),
    ...(flags.lifetime !== undefined ? ["--lifetime", String(flags.lifetime)] : []),
    ...(flags.interface ? ["--interface", flags.interface] : []), ...(flags.host ? ["--host", flags.host] : []),
    ...(flags.tlsCaFile ? ["--tls-ca-file", flags.tlsCaFile, "--tls-cert", flags.tlsCert ?? "", "--tls-key", flags.tlsKey ?? ""] : []),
  ];
  let stopping = false;
  const children = new Map<number, WorkerProcess>();
  const finished: Array<Promise<number>> = [];
  const launch = (index: number): Promise<number> => {
    const child = new WorkerProcess({
      schedulerAddress, credential, name: `${base}-${index}`, nthreads: flags.nthreads,
      memoryLimit: parseMemoryLimit(flags.memoryLimit, flags.nthreads) || undefined,
      localDirectory: flags.localDirectory, extraArgs: passThrough,
    });
    children.set(index, child);
    return child.exited.then(({ code, signal }) => {
      if (stopping || code === 0) return code ?? 0;
      logger.warn(`worker ${base}-${index} exited (${signal ?? `code ${code}`}); restarting it`);
      return launch(index);
    });
  };
  for (let i = 0; i < flags.nworkers; i++) finished.push(launch(i));
  const stop = () => {
    stopping = true;
    for (const child of children.values()) child.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  const codes = await Promise.all(finished);
  return codes.every((code) => code === 0) ? exitCodes.ok : exitCodes.failed;
}
