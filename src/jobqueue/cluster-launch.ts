/**
 * Everything a job-queue cluster needs before it can submit a job, done in the order that
 * makes bad input fail before anything starts: options sorted and resolved with the config,
 * resources and a sample script computed, directories created; only then the scheduler
 * (bound to schedulerOptions.interface/host, else the workers' interface, else this host's
 * address) and the shared credential files. `undo` releases what was started.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  clusterClassNames, resolveJobQueueOptions,
  type BatchSystem, type JobQueueOptions, type JobQueueOptionsFor, type LsfJobOptions,
} from "../config/index.js";
import { InvalidOptionError, errorMessage } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { formatAddress } from "../comm/address.js";
import { interfaceAddress, primaryHostAddress } from "../comm/network-interface.js";
import { Security } from "../comm/security.js";
import { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { readSchedulerOptions, splitClusterOptions, type ResolvedClusterOptions, type SchedulerOptions } from "./cluster-options.js";
import { renderJobScript, type JobScriptContext } from "./job-script.js";
import { detectLsfUnits } from "./memory-requests.js";
import { computeJobResources, type JobResources } from "./resources.js";
import { chooseSharedDirectory, expandVariables, removeSharedFiles, writeSharedFiles, type SharedFiles } from "../deploy/shared-files.js";
import { createStateDirectory, defaultStateDirectory } from "./state-file.js";

/** Everything a cluster is made of. */
export interface JobQueueClusterInit {
  system: BatchSystem;
  name: string;
  scheduler: SchedulerServer;
  jobOptions: JobQueueOptions;
  resources: JobResources;
  clusterOptions: ResolvedClusterOptions;
  shared: SharedFiles;
  lsfUnits: string;
  stateFile: string;
}

export interface PreparedCluster {
  init: JobQueueClusterInit;
  /** Where the dashboard should listen, or false. */
  dashboardAddress: string | false;
  schedulerHost: string;
  /** Closes the scheduler and removes the shared files (when the cluster object never came to be). */
  undo(): Promise<void>;
}

export async function prepareCluster(system: BatchSystem, options: object): Promise<PreparedCluster> {
  const logger = createLogger("jobqueue");
  const { cluster: clusterOptions, job } = splitClusterOptions(system, { ...options });
  const jobOptions = resolveJobQueueOptions(system, job, clusterOptions.configName);
  const resources = computeJobResources(jobOptions);
  const schedulerOptions = readSchedulerOptions(jobOptions.schedulerOptions);
  const security = clusterOptions.security === true ? Security.temporary() : clusterOptions.security || undefined;
  const host = schedulerHost(schedulerOptions, jobOptions.interface);
  const lsfUnits = system === "lsf" ? (jobOptions as LsfJobOptions).lsfUnits ?? detectLsfUnits() : "kb";
  // A script that cannot be written fails here, before anything is started.
  renderFor(jobOptions, { schedulerAddress: "tcp://127.0.0.1:1", workerName: "dummy-name", credentialFile: "/dev/null", lsfUnits });
  if (jobOptions.logDirectory) await makeDirectory(resolve(expandVariables(jobOptions.logDirectory)), "logDirectory");
  const stateDirectory = clusterOptions.stateDirectory ?? defaultStateDirectory();
  await createStateDirectory(stateDirectory);
  const name = clusterOptions.name ?? clusterClassNames[system];

  const scheduler = await SchedulerServer.start({
    address: formatAddress({ scheme: security?.hasTls ? "tls" : "tcp", host, port: schedulerOptions.port }),
    security, settings: schedulerOptions.settings,
  });
  let shared: SharedFiles;
  try {
    const directory = chooseSharedDirectory(jobOptions.sharedTempDirectory, jobOptions.logDirectory, (message) => logger.warn(message));
    shared = await writeSharedFiles(directory, scheduler.credential, security);
  } catch (error) {
    await scheduler.close();
    throw error;
  }
  return {
    init: {
      system, name, scheduler, jobOptions, resources, clusterOptions, shared, lsfUnits,
      stateFile: join(stateDirectory, `${name}-${scheduler.id.replace(/^Scheduler-/, "").slice(0, 8)}.json`),
    },
    dashboardAddress: schedulerOptions.dashboardAddress,
    schedulerHost: host,
    undo: async () => {
      await scheduler.close();
      await removeSharedFiles(shared);
    },
  };
}

/** Renders for whichever system `options` were resolved for. */
export function renderFor(options: JobQueueOptions, context: JobScriptContext): string {
  return renderJobScript(options.system, options as JobQueueOptionsFor<typeof options.system>, context);
}

function schedulerHost(options: SchedulerOptions, workerInterface: string | null): string {
  if (options.interface) return interfaceAddress(options.interface);
  if (options.host) return options.host;
  if (!workerInterface) return primaryHostAddress();
  try {
    return interfaceAddress(workerInterface);
  } catch (error) {
    throw new InvalidOptionError(
      `${errorMessage(error)}. The scheduler binds to the workers' interface unless told otherwise: if this host names ` +
      `its interface differently, set schedulerOptions: { interface: "…" } (or host)`,
      { cause: error },
    );
  }
}

async function makeDirectory(path: string, what: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw new InvalidOptionError(`${what}: cannot create ${path}: ${errorMessage(error)}`, { cause: error });
  }
}
