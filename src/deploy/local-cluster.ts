/**
 * LocalCluster: a scheduler in this process and workers on this machine, as child processes
 * (default) or inside this process (`processes: false`). This process is the nanny of its
 * process workers (nanny.ts): one that dies while the cluster wants it, or that passes its
 * memory budget (`memoryTerminateFraction`), is started again under the same name, so a crash
 * costs only the work it held. close() stops every worker process and the scheduler and
 * leaves no process, socket or temporary file behind.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidOptionError } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { Security } from "../comm/security.js";
import { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { defaultSchedulerSettings, type SchedulerSettings } from "../scheduler/state/scheduler-state.js";
import type { ExtensionOptions } from "../scheduler/server/extensions/scheduler-extensions.js";
import { WorkerServer } from "../worker/server/worker-server.js";
import { parseMemoryLimit } from "../worker/memory/memory-limit.js";
import { type MemoryPolicy, type WorkerMemoryOptions, memoryOptionsOf, resolveMemoryPolicy } from "../worker/memory/memory-policy.js";
import { refuseUnknownKeys, refuseUnknownObjectKeys } from "../ndarray/option-keys.js";
import { checkLocalDirectory } from "../worker/memory/local-directory.js";
import { Cluster } from "./cluster.js";
import { attachDashboard } from "./dashboard-hook.js";
import { Nanny } from "./nanny.js";
import { writeSharedFiles, type SharedFiles } from "./shared-files.js";
import { WorkerProcess } from "./worker-process.js";
import { waitForConnectedWorkers } from "./worker-wait.js";

/** Memory per worker: `memoryLimit` and Dask's Worker/Nanny fractions (memoryTargetFraction …). */
export interface LocalClusterOptions extends WorkerMemoryOptions {
  nWorkers?: number;
  threadsPerWorker?: number;
  /** Workers as child processes (default) or in this process. */
  processes?: boolean;
  memoryLimit?: string | number | null;
  /** ":8787" (default), "host:port", or false for no dashboard. */
  dashboardAddress?: string | false;
  host?: string;
  schedulerPort?: number;
  /** true for temporary TLS certificates, or a Security with your own. */
  security?: Security | boolean;
  localDirectory?: string;
  schedulerOptions?: Partial<SchedulerSettings>;
  /** Lease timeouts of locks and semaphores, the Active Memory Manager, rebalance thresholds. */
  schedulerExtensions?: Partial<ExtensionOptions>;
  /** Extra `tessera worker` flags for process workers (e.g. ["--lifetime", "60s"]). */
  workerExtraArgs?: string[];
  /** Seconds to wait for the first workers to connect (default 60). */
  timeout?: number;
}

/** Every LocalCluster option by name (a new option missing here fails to compile): anything else is refused. */
const localClusterOptionNames: Record<Exclude<keyof LocalClusterOptions, keyof WorkerMemoryOptions>, true> = {
  nWorkers: true, threadsPerWorker: true, processes: true, memoryLimit: true, dashboardAddress: true, host: true, schedulerPort: true,
  security: true, localDirectory: true, schedulerOptions: true, schedulerExtensions: true, workerExtraArgs: true, timeout: true,
};

/** Dask's split of N cores into worker processes × threads. */
function processesAndThreads(cores: number): { processes: number; threads: number } {
  if (cores <= 4) return { processes: cores, threads: 1 };
  for (let p = Math.ceil(Math.sqrt(cores)); p <= cores; p++) {
    if (cores % p === 0) return { processes: p, threads: cores / p };
  }
  return { processes: cores, threads: 1 };
}

type Handle = { name: string; nanny?: Nanny; inProcess?: WorkerServer; wanted: boolean };

export class LocalCluster extends Cluster {
  private handles: Handle[] = [];
  private counter = 0;
  private readonly logger = createLogger("local-cluster");
  /** With TLS and process workers: the certificate files the workers read (removed on close). */
  private tlsFiles: SharedFiles | null = null;
  private tlsDirectory: string | null = null;

  private constructor(scheduler: SchedulerServer, private readonly options: Required<Pick<LocalClusterOptions, "threadsPerWorker" | "processes">> & LocalClusterOptions, private readonly memoryLimit: number, private readonly memoryPolicy: MemoryPolicy) {
    super(scheduler);
  }

  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    // A misspelt option (nWorker, memorySpilFraction, schedulerOptions.allowedFailure) would otherwise start with the default.
    refuseUnknownKeys(options, [...Object.keys(localClusterOptionNames), ...Object.keys(memoryOptionsOf({}))], "LocalCluster");
    refuseUnknownKeys(options.schedulerOptions ?? {}, Object.keys(defaultSchedulerSettings), "LocalCluster schedulerOptions");
    const split = processesAndThreads(availableParallelism());
    const nWorkers = options.nWorkers ?? split.processes;
    const threadsPerWorker = options.threadsPerWorker ?? (options.nWorkers ? Math.max(1, Math.floor(availableParallelism() / nWorkers)) : split.threads);
    if (!Number.isInteger(nWorkers) || nWorkers < 0) throw new InvalidOptionError(`nWorkers must be a non-negative integer, got ${nWorkers}`);
    if (!Number.isInteger(threadsPerWorker) || threadsPerWorker < 1) throw new InvalidOptionError(`threadsPerWorker must be a positive integer, got ${threadsPerWorker}`);
    const logger = createLogger("local-cluster");
    const memoryLimit = parseMemoryLimit(options.memoryLimit === undefined ? "auto" : options.memoryLimit, threadsPerWorker, (m) => logger.warn(m));
    const memoryPolicy = resolveMemoryPolicy(memoryLimit, options); // bad fractions fail here, before anything starts
    if (options.localDirectory) await checkLocalDirectory(options.localDirectory, (m) => logger.warn(m));
    const security = options.security === true ? Security.temporary() : options.security === false ? undefined : options.security;
    const scheme = security?.hasTls ? "tls" : "tcp";
    const scheduler = await SchedulerServer.start({
      address: `${scheme}://${options.host ?? "127.0.0.1"}:${options.schedulerPort ?? 0}`,
      security, settings: options.schedulerOptions, extensions: options.schedulerExtensions,
    });
    const cluster = new LocalCluster(scheduler, { ...options, threadsPerWorker, processes: options.processes ?? true }, memoryLimit, memoryPolicy);
    try {
      if (security?.hasTls && cluster.options.processes) {
        cluster.tlsDirectory = await mkdtemp(join(tmpdir(), "tessera-tls-"));
        cluster.tlsFiles = await writeSharedFiles(cluster.tlsDirectory, scheduler.credential, security);
      }
      if (options.dashboardAddress !== false) {
        cluster.dashboardUrl = await attachDashboard(scheduler, options.dashboardAddress ?? ":8787", options.host ?? "127.0.0.1");
      }
      await cluster.scale(nWorkers);
      await cluster.waitForWorkers(nWorkers);
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  get requestedWorkers(): number {
    return this.handles.filter((h) => h.wanted).length;
  }

  get workerProcesses(): WorkerProcess[] {
    return this.handles.flatMap((h) => (h.nanny ? [h.nanny.process] : []));
  }

  /** The nannies of the process workers (restarts, with their causes). */
  get nannies(): Nanny[] {
    return this.handles.flatMap((h) => (h.nanny ? [h.nanny] : []));
  }

  async scale(n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 0) throw new InvalidOptionError(`scale: n must be a non-negative integer, got ${n}`);
    const wanted = this.handles.filter((h) => h.wanted);
    for (let i = wanted.length; i < n; i++) await this.startWorker(String(this.counter++));
    if (wanted.length > n) {
      const extra = wanted.slice(n);
      for (const handle of extra) handle.wanted = false;
      const names = new Set(extra.map((h) => h.name));
      const addresses = [...this.scheduler.state.workers.values()].filter((w) => names.has(w.identity.name)).map((w) => w.address);
      // Retired gracefully first: their results move to the workers that stay.
      await this.scheduler.retireWorkers(addresses);
      await Promise.all(extra.map((handle) => this.stopHandle(handle)));
      this.handles = this.handles.filter((h) => h.wanted);
    }
  }

  private async startWorker(name: string): Promise<void> {
    const handle: Handle = { name, wanted: true };
    this.handles.push(handle);
    if (this.options.processes) this.launchProcess(handle);
    else {
      handle.inProcess = await WorkerServer.start({
        schedulerAddress: this.scheduler.address, credential: this.credential, security: this.security, name,
        nthreads: this.options.threadsPerWorker, memoryLimit: this.memoryLimit, localDirectory: this.options.localDirectory,
        ...memoryOptionsOf(this.options),
      });
    }
  }

  private launchProcess(handle: Handle): void {
    handle.nanny = new Nanny({
      name: handle.name, logger: this.logger,
      memoryLimit: this.memoryLimit, terminateFraction: this.memoryPolicy.terminate, monitorIntervalMs: this.memoryPolicy.monitorIntervalMs,
      spawn: (restartReason) => new WorkerProcess({
        schedulerAddress: this.scheduler.address, credential: this.credential, name: handle.name,
        nthreads: this.options.threadsPerWorker, memoryLimit: this.memoryLimit, localDirectory: this.options.localDirectory,
        memory: memoryOptionsOf(this.options), extraArgs: [...(this.tlsFiles?.workerFlags ?? []), ...(this.options.workerExtraArgs ?? [])],
        restartReason,
      }),
      // Whatever ended it, a worker the cluster still wants is started again.
      restartAfter: () => handle.wanted && !this.closing,
    });
  }

  private async stopHandle(handle: Handle): Promise<void> {
    handle.wanted = false;
    if (handle.nanny) await handle.nanny.stop();
    if (handle.inProcess) await handle.inProcess.close("cluster scaled down");
  }

  /**
   * Resolves once `n` workers are connected; `timeout` (seconds or a duration string) bounds the
   * wait, by default the cluster's start-up `timeout` (60 s), so a worker that cannot start fails
   * the wait with its log instead of hanging it. As the other clusters' waitForWorkers.
   */
  async waitForWorkers(n: number, options: { timeout?: string | number } = {}): Promise<void> {
    refuseUnknownObjectKeys(options, ["timeout"], "LocalCluster.waitForWorkers");
    await waitForConnectedWorkers(n, options.timeout ?? this.options.timeout ?? 60, {
      connectedWorkers: () => this.scheduler.state.workers.size,
      isClosing: () => this.closing !== null,
      cannotCome: () => null,
      describe: () => {
        const logs = this.workerProcesses.map((p) => p.recentLog()).filter(Boolean).join("\n---\n");
        return logs ? `worker logs:\n${logs}` : "no worker logged anything";
      },
    }, 20);
  }

  protected async shutdown(): Promise<void> {
    for (const handle of this.handles) handle.wanted = false;
    await this.scheduler.close();
    await Promise.all(this.handles.map((handle) => this.stopHandle(handle)));
    this.handles = [];
    if (this.tlsDirectory) await rm(this.tlsDirectory, { recursive: true, force: true });
  }
}
