/**
 * Where a cluster attaches the dashboard to its scheduler. The dashboard lives in
 * src/dashboard/; until it is attached the link is undefined.
 */
import type { SchedulerServer } from "../scheduler/server/scheduler-server.js";

export async function attachDashboard(_scheduler: SchedulerServer, _address: string, _host: string): Promise<string | undefined> {
  return undefined;
}
