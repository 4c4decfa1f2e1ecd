/**
 * client.restart() on the server (Dask's Scheduler.restart): every worker must run under a
 * nanny (otherwise nothing would start it again: the restart is refused, naming those
 * without one, before anything changes). Then the state forgets every task and tells every
 * client and worker (cluster-restart.ts); each worker closes and its nanny starts a fresh
 * one under the same name. Resolves once a fresh worker of every name has joined, or fails
 * after `timeoutSeconds` naming the workers that did not come back. Batch jobs stay queued
 * and running: the nanny inside the job restarts its worker, nothing is resubmitted.
 */
import { sleep, unixSeconds } from "../../core/clock.js";
import { TimeoutError } from "../../core/errors.js";
import type { WorkerState } from "../state/entities.js";
import type { SchedulerServerContext } from "./server-context.js";

export async function restartWorkers(server: SchedulerServerContext, timeoutSeconds: number): Promise<void> {
  const before = [...server.state.workers.values()];
  const unsupervised = before.filter((worker) => !worker.identity.nanny);
  if (unsupervised.length > 0) {
    throw new Error(
      `restart needs every worker to run under a nanny, which starts it again; ${unsupervised.map((w) => w.identity.name).join(", ")} ` +
        "run without one (tessera worker --no-nanny, or LocalCluster with processes: false). Nothing was restarted.",
    );
  }
  server.logger.info(`restarting the cluster: ${before.length} workers`);
  server.dispatch({ type: "cluster-restart", reason: "the cluster restarted (client.restart())", now: unixSeconds() });
  const old = new Set<WorkerState>(before);
  const names = before.map((worker) => worker.identity.name);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const missing = () => names.filter((name) => ![...server.state.workers.values()].some((w) => w.identity.name === name && !old.has(w) && w.isRunning));
  while (missing().length > 0) {
    if (Date.now() > deadline) {
      throw new TimeoutError(`restart: ${missing().length} of ${names.length} workers did not come back within ${timeoutSeconds} s: ${missing().join(", ")}`);
    }
    await sleep(50);
  }
  server.logger.info(`cluster restarted: ${names.length} workers back`);
}
