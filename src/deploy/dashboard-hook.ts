/**
 * Where a cluster attaches the dashboard to its scheduler: the dashboard server starts in
 * this process, registers its port as the scheduler's "dashboard" service, closes with the
 * scheduler, and the returned link (what the cluster prints and `dashboardLink` gives)
 * carries the access token derived from the cluster credential.
 */
import { hostname } from "node:os";
import { dashboardToken } from "../comm/dashboard-token.js";
import { dashboardLink, workerMemorySettings } from "../config/index.js";
import { DashboardServer } from "../dashboard/server/dashboard-server.js";
import type { JobsProvider } from "../dashboard/server/jobs.js";
import type { SchedulerServer } from "../scheduler/server/scheduler-server.js";

export interface AttachDashboardOptions {
  /** Job-queue clusters: the batch jobs with their state and reason, for the Jobs page. */
  jobs?: JobsProvider;
  /** Milliseconds between live updates (default 250). */
  updateIntervalMs?: number;
}

/** Starts the dashboard at `address` (":8787", "host:port") and returns its link, token included. */
export async function attachDashboard(scheduler: SchedulerServer, address: string, host: string, options: AttachDashboardOptions = {}): Promise<string | undefined> {
  const token = dashboardToken(scheduler.credential);
  const dashboard = await DashboardServer.start({
    view: scheduler.view, state: scheduler.state, address, host, token,
    thresholds: workerMemorySettings(), jobs: options.jobs, updateIntervalMs: options.updateIntervalMs,
  });
  scheduler.services.dashboard = dashboard.port;
  scheduler.addPlugin({ close: () => dashboard.close() });
  const wildcard = dashboard.host === "" || dashboard.host === "0.0.0.0" || dashboard.host === "::";
  const link = dashboardLink({ scheme: "http", host: wildcard ? hostname() : dashboard.host, port: dashboard.port });
  return `${link}${link.includes("?") ? "&" : "?"}token=${token}`;
}
