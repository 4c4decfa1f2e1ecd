/** The Workers page: one table row per worker, totals at the bottom. */
import type { StatusSnapshot, WorkerRow } from "../../server/status-snapshot.js";
import { DataTable, infoLink, inlineBar } from "../data-table.js";
import { formatAgo, formatBytes, formatCount, formatPercent } from "../format.js";
import { LiveSocket } from "../live-socket.js";
import { mainArea, panel } from "../page-frame.js";
import { memoryColours } from "../worker-bars.js";

const section = panel(mainArea(), "Workers", "workers-panel");
const sum = (rows: WorkerRow[], pick: (w: WorkerRow) => number) => rows.reduce((s, w) => s + pick(w), 0);
const table = new DataTable<WorkerRow>(section.body, [
  { title: "Name", value: (w) => infoLink(`info/worker?worker=${encodeURIComponent(w.address)}`, w.name), text: true, total: (rows) => `${rows.length} workers` },
  { title: "Address", value: (w) => w.address, text: true },
  { title: "Threads", value: (w) => formatCount(w.nthreads), total: (rows) => formatCount(sum(rows, (w) => w.nthreads)) },
  {
    title: "Memory / limit",
    value: (w) => inlineBar(w.memoryLimit ? w.memory / w.memoryLimit : 0, memoryColours[w.memoryLevel], `${formatBytes(w.memory)} / ${w.memoryLimit ? formatBytes(w.memoryLimit) : "–"}`),
    total: (rows) => `${formatBytes(sum(rows, (w) => w.memory))} / ${formatBytes(sum(rows, (w) => w.memoryLimit))}`,
  },
  { title: "Managed", value: (w) => formatBytes(w.managed), total: (rows) => formatBytes(sum(rows, (w) => w.managed)) },
  { title: "Spilled", value: (w) => formatBytes(w.spilled), total: (rows) => formatBytes(sum(rows, (w) => w.spilled)) },
  { title: "CPU", value: (w) => formatPercent(w.cpu), total: (rows) => formatPercent(sum(rows, (w) => w.cpu)) },
  { title: "Processing", value: (w) => formatCount(w.processing), total: (rows) => formatCount(sum(rows, (w) => w.processing)) },
  { title: "Finished", value: (w) => formatCount(w.finished), total: (rows) => formatCount(sum(rows, (w) => w.finished)) },
  { title: "Results held", value: (w) => formatCount(w.storedKeys), total: (rows) => formatCount(sum(rows, (w) => w.storedKeys)) },
  { title: "Last seen", value: (w) => formatAgo(w.lastSeen) },
  { title: "Job id", value: (w) => w.jobId ?? "–", text: true },
  { title: "Status", value: (w) => w.status, text: true },
], "no workers have connected");

let lastUpdate = 0;
new LiveSocket(["status"], 0, (message) => {
  if (message.type !== "status") return;
  const now = Date.now();
  // The table is text people read: once a second is plenty.
  if (now - lastUpdate < 900) return;
  lastUpdate = now;
  const snapshot = message.data as StatusSnapshot;
  section.note.textContent = `${snapshot.workers.length} workers, ${snapshot.totalThreads} threads`;
  table.update(snapshot.workers);
});
