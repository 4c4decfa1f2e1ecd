/** The Status page: cluster summary, memory and work per worker, task stream, progress. */
import type { StatusSnapshot } from "../../server/status-snapshot.js";
import type { StreamDelta } from "../../server/stream-encoder.js";
import { element } from "../browser.js";
import { infoLink } from "../data-table.js";
import { formatAgo, formatBytes, formatCount } from "../format.js";
import { LiveSocket } from "../live-socket.js";
import { legend, mainArea, panel, tabs } from "../page-frame.js";
import { ProgressChart } from "../progress-chart.js";
import { TaskStreamChart } from "../task-stream-chart.js";
import { TaskStreamStore } from "../task-stream-store.js";
import { memoryColours, WorkerBars, type WorkerMeasure } from "../worker-bars.js";

const main = mainArea("two-columns");
const left = element("div");
const right = element("div");
left.style.display = right.style.display = "grid";
left.style.gap = right.style.gap = "12px";
main.append(left, right);

const cluster = panel(left, "Cluster", "cluster-panel");
const summary = element("div", "summary");
cluster.body.appendChild(summary);

// Only while tasks wait for a worker none can satisfy (resources no worker offers, …).
const waiting = panel(left, "Tasks waiting for a worker", "unrunnable-panel");
waiting.section.style.display = "none";

const memory = panel(left, "Memory per worker", "memory-panel");
const memoryBars = new WorkerBars(memory.body, "memory");
memory.body.appendChild(legend([[memoryColours.normal, "memory"], [memoryColours.high, "above target / spill"], [memoryColours.critical, "above terminate / paused"], [memoryColours.spilled, "spilled", 0.6]]));

const work = panel(left, "Tasks per worker", "work-panel");
tabs(work.body, ["Processing", "CPU"], (name) => workBars.setMeasure(name.toLowerCase() as WorkerMeasure));
const workBars = new WorkerBars(work.body, "processing");

const stream = panel(right, "Task stream", "task-stream-panel");
stream.note.textContent = "last 1000 · wheel zooms · drag pans · double-click follows";
const store = new TaskStreamStore(1000, 5);
const streamChart = new TaskStreamChart(stream.body, store, { height: 260 });

const progress = panel(right, "Progress", "progress-panel");
const progressChart = new ProgressChart(progress.body);

function showSummary(snapshot: StatusSnapshot): void {
  const workers = snapshot.workers;
  const used = workers.reduce((s, w) => s + w.memory, 0);
  const limit = workers.reduce((s, w) => s + w.memoryLimit, 0);
  const c = snapshot.counts;
  const item = (label: string, value: string) => element("span", "", `${label} `, element("b", "", value));
  summary.replaceChildren(
    item("workers", formatCount(workers.length)), item("threads", formatCount(snapshot.totalThreads)),
    item("memory", `${formatBytes(used)}${limit ? ` / ${formatBytes(limit)}` : ""}`),
    item("processing", formatCount(c.processing ?? 0)), item("queued", formatCount((c.queued ?? 0) + (c.waiting ?? 0))),
    item("in memory", formatCount(c.memory ?? 0)), item("erred", formatCount(c.erred ?? 0)), item("clients", formatCount(snapshot.clients)),
  );
}

function showUnrunnable(groups: StatusSnapshot["unrunnable"]): void {
  waiting.section.style.display = groups.length > 0 ? "" : "none";
  const count = groups.reduce((s, g) => s + g.count, 0);
  waiting.note.textContent = `${formatCount(count)} ${count === 1 ? "task" : "tasks"}`;
  waiting.body.replaceChildren(...groups.map((group) => element("p", "unrunnable",
    element("b", "", `${formatCount(group.count)} × `), group.reason, ` (waiting since ${formatAgo(group.since)}; e.g. `,
    infoLink(`info/task?key=${encodeURIComponent(group.exampleKey)}`, group.exampleKey), ")")));
}

new LiveSocket(["status", "stream"], 1000, (message) => {
  if (message.type === "status") {
    const snapshot = message.data as StatusSnapshot;
    showSummary(snapshot);
    showUnrunnable(snapshot.unrunnable);
    memoryBars.update(snapshot);
    workBars.update(snapshot);
    progressChart.update(snapshot.progress);
  } else if (message.type === "stream") {
    store.add(message.data as StreamDelta, message.reset === true);
    streamChart.refresh();
  }
});
