/**
 * The dashboard's info pages (Dask's /info/worker and /info/task pages): a worker's recent
 * log (`info/worker?worker=<address or name>`) and the story of a key (`info/task?key=<key>`:
 * every transition on the scheduler and on the workers, with worker and time), for debugging
 * a stuck job from the login node. Server-rendered HTML, everything escaped; the workers are
 * asked through the scheduler's view.
 */
import type { WorkerQueries } from "../../scheduler/server/view.js";
import { escapeHtml } from "./page-shell.js";

export interface InfoPage {
  status: number;
  html: string;
}

/** Log lines a worker page shows at most (the newest). */
const workerLogLines = 1000;

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tessera · ${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="../static/dashboard.css">
</head>
<body>
<nav><span class="brand">tessera</span><a href="../status">Status</a><a href="../workers">Workers</a></nav>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString();

function table(headings: string[], rows: string[][]): string {
  const head = headings.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("\n");
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The page for `info/<what>` with the request's query, or undefined for another path. */
export async function infoPage(what: string, query: URLSearchParams, queries: WorkerQueries): Promise<InfoPage | undefined> {
  if (what === "worker") {
    const worker = query.get("worker");
    if (!worker) return { status: 400, html: shell("Worker", "<p>Name the worker: info/worker?worker=&lt;address or name&gt;</p>") };
    const records = await queries.workerLog(worker, workerLogLines);
    if (records === null) return { status: 404, html: shell(`Worker ${worker}`, "<p>No worker of the cluster has this address or name (it may have left).</p>") };
    const rows = records.map((r) => [isoTime(r.time), r.level, r.component, r.message]);
    return { status: 200, html: shell(`Worker ${worker}`, `<h2>Recent log (${records.length} lines, newest last)</h2>\n${table(["time", "level", "component", "message"], rows)}`) };
  }
  if (what === "task") {
    const key = query.get("key");
    if (!key) return { status: 400, html: shell("Task", "<p>Name the key: info/task?key=&lt;key&gt;</p>") };
    const story = await queries.keyStory(key);
    if (story.length === 0) return { status: 404, html: shell(`Task ${key}`, "<p>No transition of this key is recorded (unknown key, or forgotten long ago).</p>") };
    const rows = story.map((e) => [isoTime(e.time), e.where, `${e.from} → ${e.to}`, e.worker ?? "", e.stimulus]);
    return { status: 200, html: shell(`Task ${key}`, `<h2>Story (${story.length} transitions, by time)</h2>\n${table(["time", "where", "transition", "worker", "stimulus"], rows)}`) };
  }
  return undefined;
}
