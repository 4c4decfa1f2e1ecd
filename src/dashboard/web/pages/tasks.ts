/** The Task stream page: up to 100,000 rectangles, zoom and pan, legend by prefix. */
import type { StreamDelta } from "../../server/stream-encoder.js";
import { LiveSocket } from "../live-socket.js";
import { legend, mainArea, panel } from "../page-frame.js";
import { kindLegendItems, TaskStreamChart } from "../task-stream-chart.js";
import { TaskStreamStore } from "../task-stream-store.js";

const section = panel(mainArea(), "Task stream", "task-stream-panel");
section.note.textContent = "one row per worker thread · wheel zooms · drag pans · double-click follows the live data";
const store = new TaskStreamStore(100_000);
const chart = new TaskStreamChart(section.body, store, { height: 420 });
const legendBox = section.body.appendChild(legend([]));
let legendVersion = -1;

function updateLegend(): void {
  if (store.prefixes.size === legendVersion) return;
  legendVersion = store.prefixes.size;
  const items: Array<[string, string, number?]> = [...store.prefixes.values()].filter((p) => p.name !== "transfer").map((p) => [p.colour, p.name]);
  legendBox.replaceChildren(legend([...items, ...kindLegendItems()]));
}

new LiveSocket(["stream"], 100_000, (message) => {
  if (message.type !== "stream") return;
  store.add(message.data as StreamDelta, message.reset === true);
  chart.surface.setHeight(Math.min(Math.max(store.rows.size * 16, 240), 900) + 18);
  updateLegend();
  chart.refresh();
});
