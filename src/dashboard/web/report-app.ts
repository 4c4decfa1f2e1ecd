/**
 * The page inside a performance report or profile HTML file: it reads the JSON the file
 * embeds and draws every section with the dashboard's own charts (joined into the file by
 * inline-modules.ts, so it opens from disk with no network).
 */
import type { PerformanceReportData, ProfileReportData, ReportData, ReportWorker } from "../report/report-data.js";
import { browser, element, type DomElement } from "./browser.js";
import { DataTable } from "./data-table.js";
import { FlameGraph } from "./flame-graph.js";
import { formatBytes, formatCount, formatSeconds } from "./format.js";
import { legend, mainArea, panel } from "./page-frame.js";
import { kindLegendItems, TaskStreamChart } from "./task-stream-chart.js";
import { TaskStreamStore } from "./task-stream-store.js";

function readData(): ReportData {
  const holder = browser.document.getElementById("report-data");
  if (!holder?.textContent) throw new Error("this report carries no data");
  return JSON.parse(holder.textContent) as ReportData;
}

function header(data: ReportData, sections: Array<[string, string]>): DomElement {
  const main = mainArea();
  const top = element("div", "report-header", element("h1", "", data.title),
    element("div", "hint", `generated ${new Date(data.generated * 1000).toLocaleString()} · tessera ${data.version}`));
  const nav = element("div", "report-nav");
  for (const [id, title] of sections) {
    const link = element("a", "", title);
    link.setAttribute("href", `#${id}`);
    nav.appendChild(link);
  }
  main.append(top, nav);
  return main;
}

function keyValues(parent: DomElement, rows: Array<[string, string]>): void {
  const table = element("table");
  for (const [label, value] of rows) table.appendChild(element("tr", "", element("td", "text", label), element("td", "", value)));
  parent.appendChild(table);
}

function flameGraphs(parent: DomElement, intervalMs: number, tree: ProfileReportData["tree"], byWorker: ProfileReportData["byWorker"]): void {
  const all = element("div", "", element("h3", "", "all workers"));
  parent.appendChild(all);
  new FlameGraph(all).set(tree, intervalMs);
  for (const { worker, tree: workerTree } of byWorker) {
    const box = element("div", "", element("h3", "", worker));
    box.dataset.worker = worker;
    parent.appendChild(box);
    new FlameGraph(box).set(workerTree, intervalMs);
  }
}

function bandwidthTable(parent: DomElement, bandwidth: PerformanceReportData["bandwidth"]): void {
  if (bandwidth.workers.length === 0 || bandwidth.bytes.every((row) => row.every((b) => b === 0))) {
    parent.appendChild(element("div", "empty", "no data moved between workers"));
    return;
  }
  const most = Math.max(...bandwidth.bytes.flat(), 1);
  const table = element("table");
  table.appendChild(element("tr", "", element("th", "text", "from ↓ to →"), ...bandwidth.workers.map((w) => element("th", "", w))));
  bandwidth.workers.forEach((from, i) => {
    const cells = bandwidth.workers.map((_, j) => {
      const bytes = bandwidth.bytes[i][j];
      const seconds = bandwidth.seconds[i][j];
      const cell = element("td", "", bytes ? `${formatBytes(bytes)}${seconds > 0 ? ` · ${formatBytes(bytes / seconds)}/s` : ""}` : "");
      if (bytes) cell.style.background = `rgba(60, 77, 138, ${0.08 + 0.5 * (bytes / most)})`;
      return cell;
    });
    table.appendChild(element("tr", "", element("td", "text", from), ...cells));
  });
  parent.appendChild(table);
}

function performanceReport(data: PerformanceReportData): void {
  const sections: Array<[string, string]> = [["summary", "Summary"], ["task-stream", "Task stream"], ["worker-profiles", "Worker profiles"],
    ["bandwidth", "Worker bandwidth"], ["halos", "Halos"], ["cluster", "Cluster"], ["config", "Configuration"], ["source", "Calling code"]];
  const main = header(data, sections);
  const s = data.summary;
  const summary = panel(main, "Summary", "summary");
  keyValues(summary.body, [
    ["Duration", formatSeconds(data.stop - data.start)], ["Tasks", formatCount(s.tasks)], ["Erred tasks", formatCount(s.erred)],
    ["Compute time", formatSeconds(s.computeSeconds)], ["Transfer time", formatSeconds(s.transferSeconds)], ["Disk time", formatSeconds(s.diskSeconds)],
    ["Serialization time", formatSeconds(s.serializationSeconds)], ["Bytes moved between workers", `${formatBytes(s.bytesTransferred)} in ${formatCount(s.transfers)} transfers`],
    ["Workers", `${data.cluster.workers.length} (${formatCount(data.cluster.workers.reduce((n, w) => n + w.nthreads, 0))} threads)`],
  ]);
  new DataTable<PerformanceReportData["prefixes"][number]>(summary.body, [
    { title: "Task prefix", value: (p) => element("span", "", legend([[p.colour, p.prefix]])), text: true },
    { title: "Tasks", value: (p) => formatCount(p.tasks) },
    { title: "Compute time", value: (p) => formatSeconds(p.computeSeconds) },
    { title: "Mean per task", value: (p) => formatSeconds(p.computeSeconds / Math.max(p.tasks, 1)) },
    { title: "Peak memory per task, estimated", value: (p) => (p.estimatedPeakBytes === null ? "" : formatBytes(p.estimatedPeakBytes)) },
    { title: "measured", value: (p) => (p.measuredPeakBytes === null ? "" : formatBytes(p.measuredPeakBytes)) },
  ], "no tasks ran").update(data.prefixes);

  const stream = panel(main, "Task stream", "task-stream");
  stream.note.textContent = `${formatCount(data.stream.start.length)} rectangles · wheel zooms · drag pans · double-click resets`;
  const store = new TaskStreamStore(Math.max(data.stream.start.length, 1));
  store.add(data.stream, true);
  new TaskStreamChart(stream.body, store, { height: Math.min(Math.max(store.rows.size * 16, 200), 800) + 18 });
  stream.body.appendChild(legend([...data.prefixes.map((p): [string, string] => [p.colour, p.prefix]), ...kindLegendItems()]));

  const profiles = panel(main, "Worker profiles (compute threads)", "worker-profiles");
  profiles.note.textContent = `${formatCount(data.profile.tree.count)} samples every ${data.profile.intervalMs} ms`;
  flameGraphs(profiles.body, data.profile.intervalMs, data.profile.tree, data.profile.byWorker);

  bandwidthTable(panel(main, "Worker bandwidth", "bandwidth").body, data.bandwidth);

  const halos = panel(main, "Halos of mapOverlap (cells read per cell written, a task per chunk)", "halos");
  halos.note.textContent = "above 2×, larger chunks cut the halo's reads and compute (tessera also computes neighbouring chunks together)";
  new DataTable<PerformanceReportData["halos"][number]>(halos.body, [
    { title: "mapOverlap", value: (h) => h.name, text: true },
    { title: "Shape", value: (h) => h.shape.join(" × "), text: true },
    { title: "Chunks", value: (h) => h.chunks.join(" × "), text: true },
    { title: "Depth", value: (h) => h.depth.join(", "), text: true },
    { title: "Overhead", value: (h) => `${h.overhead.toFixed(1)}×` },
    { title: "Chunks under 2×", value: (h) => (h.overhead <= 2 ? "–" : h.suggestedChunks ? h.suggestedChunks.join(" × ") : "none: depth too large for the shape"), text: true },
  ], "no mapOverlap in this run").update(data.halos);

  const cluster = panel(main, "Cluster", "cluster");
  keyValues(cluster.body, [["Scheduler", data.cluster.scheduler], ["Scheduler id", data.cluster.id], ["Dashboard", data.cluster.dashboard ?? "–"]]);
  new DataTable<ReportWorker>(cluster.body, [
    { title: "Worker", value: (w) => w.name, text: true, total: (rows) => `${rows.length} workers` },
    { title: "Address", value: (w) => w.address, text: true },
    { title: "Host", value: (w) => w.host, text: true },
    { title: "Threads", value: (w) => formatCount(w.nthreads), total: (rows) => formatCount(rows.reduce((n, w) => n + w.nthreads, 0)) },
    { title: "Memory limit", value: (w) => (w.memoryLimit ? formatBytes(w.memoryLimit) : "–"), total: (rows) => formatBytes(rows.reduce((n, w) => n + w.memoryLimit, 0)) },
    { title: "Job id", value: (w) => w.jobId ?? "–", text: true },
  ], "no workers").update(data.cluster.workers);

  const config = panel(main, "Configuration (effective, in the calling process)", "config");
  config.body.appendChild(element("pre", "source", JSON.stringify(data.config, null, 2)));

  const source = panel(main, "Calling code", "source");
  if (data.source.file) source.note.textContent = data.source.file;
  if (data.source.code) source.body.appendChild(element("pre", "source", data.source.code));
  source.body.appendChild(element("div", "hint", "the function given to performanceReport:"));
  source.body.appendChild(element("pre", "source", data.source.callback));
}

function profileReport(data: ProfileReportData): void {
  const main = header(data, [["profile", "Flame graph"]]);
  const section = panel(main, "Compute-thread profile", "profile");
  section.note.textContent = `${formatCount(data.tree.count)} samples every ${data.intervalMs} ms ≈ ${formatSeconds((data.tree.count * data.intervalMs) / 1000)}`;
  flameGraphs(section.body, data.intervalMs, data.tree, data.byWorker);
}

const data = readData();
browser.document.title = data.title;
if (data.kind === "performance-report") performanceReport(data);
else profileReport(data);
browser.document.body.dataset.rendered = "true";
