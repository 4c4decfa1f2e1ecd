/**
 * Rank 0: runs the scheduler, publishes it through the scheduler file (which carries the
 * credential, mode 0600), and stops it when the client rank asks (`terminate`), when the
 * client rank's connection disappears without asking (it crashed or was killed), or when no
 * client rank arrived within the timeout. Resolves with the exit code for this process.
 */
import { rm } from "node:fs/promises";
import { sleep } from "../core/clock.js";
import { createLogger } from "../core/log.js";
import { formatAddress } from "../comm/address.js";
import { interfaceAddress, primaryHostAddress } from "../comm/network-interface.js";
import { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { attachDashboard } from "../deploy/dashboard-hook.js";
import { exitStatusPath, removeExitStatus, waitForExitStatus, waitForExitStatusReads, writeExitStatus } from "./exit-status.js";
import { installSchedulerRankControl } from "./runner-control.js";
import type { ResolvedRunnerOptions } from "./runner-options.js";

export async function runSchedulerRank(schedulerFile: string, worldSize: number, options: ResolvedRunnerOptions): Promise<number> {
  const logger = createLogger("runner");
  const statusFile = exitStatusPath(schedulerFile);
  const workerRanks = Array.from({ length: worldSize - 2 }, (_, index) => index + 2);
  // Files of an earlier run at the same path must not be mistaken for this run's.
  await rm(schedulerFile, { force: true });
  await removeExitStatus(statusFile, workerRanks);
  const host = options.schedulerInterface ? interfaceAddress(options.schedulerInterface) : options.schedulerHost ?? primaryHostAddress();
  const scheduler = await SchedulerServer.start({
    address: formatAddress({ scheme: "tcp", host, port: options.schedulerPort }), schedulerFile, logger,
  });
  let attached = false;
  let terminated = false;
  const uninstall = installSchedulerRankControl({ clientAttached: () => (attached = true), terminate: () => (terminated = true) });
  try {
    if (options.dashboardAddress !== false) {
      await attachDashboard(scheduler, options.dashboardAddress, host);
      await scheduler.writeFile();
    }
    logger.info(`scheduler rank: ${scheduler.address}, scheduler file ${schedulerFile}`);
    const started = Date.now();
    let closedBySelf = false;
    void scheduler.finished.then(() => (closedBySelf = true));
    const outcomeNow = (): "terminated" | "client-vanished" | "client-never-came" | "scheduler-closed" | null => {
      if (terminated) return "terminated";
      if (closedBySelf) return "scheduler-closed";
      if (attached && scheduler.view.clientCount() === 0) return "client-vanished";
      if (!attached && Date.now() - started > options.timeoutSeconds * 1000) return "client-never-came";
      return null;
    };
    let outcome = outcomeNow();
    while (outcome === null) {
      await sleep(100);
      outcome = outcomeNow();
    }
    let code: number;
    if (outcome === "terminated") {
      await scheduler.close();
      code = (await waitForExitStatus(statusFile, options.exitStatusWaitSeconds)) ?? 0;
    } else {
      // Tell the worker ranks how this ended before they are stopped.
      code = outcome === "client-vanished" ? (await waitForExitStatus(statusFile, options.exitStatusWaitSeconds)) ?? 1 : 1;
      writeExitStatus(statusFile, code);
      if (outcome === "client-vanished") logger.error(`the client rank (1) went away (exit status ${code}); stopping the cluster`);
      if (outcome === "client-never-came") {
        logger.error(`the client rank (1) did not connect within ${options.timeoutSeconds} s; stopping the cluster`);
      }
      await scheduler.close();
    }
    // The status stays until every worker rank has read it (a worker rank that never started
    // or died is waited for as long as a client's status is).
    await waitForExitStatusReads(statusFile, workerRanks, options.exitStatusWaitSeconds);
    await removeExitStatus(statusFile, workerRanks);
    return code;
  } finally {
    uninstall();
    await scheduler.close();
  }
}
