/** The Jobs page: for job-queue clusters, each batch job with its state and reason. */
import type { JobInfo } from "../../server/jobs.js";
import { DataTable } from "../data-table.js";
import { formatCount } from "../format.js";
import { LiveSocket } from "../live-socket.js";
import { mainArea, panel } from "../page-frame.js";

const section = panel(mainArea(), "Batch jobs", "jobs-panel");
const table = new DataTable<JobInfo>(section.body, [
  { title: "Job id", value: (j) => j.id, text: true, total: (rows) => `${rows.length} jobs` },
  { title: "State", value: (j) => j.state, text: true },
  { title: "Reason", value: (j) => j.reason ?? "", text: true },
  { title: "Workers", value: (j) => (Array.isArray(j.workers) ? j.workers.join(", ") || "–" : formatCount(j.workers)), text: true },
], "no jobs");

new LiveSocket(["jobs"], 0, (message) => {
  if (message.type !== "jobs") return;
  const data = message.data as { available: boolean; jobs: JobInfo[]; error?: string };
  section.note.textContent = data.error ? `could not read the jobs: ${data.error}`
    : data.available ? "" : "this cluster does not run its workers as batch jobs";
  table.update(data.jobs);
});
