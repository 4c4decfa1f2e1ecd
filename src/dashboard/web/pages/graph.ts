/** The Graph page: the scheduler's current tasks by state (summarised by prefix when large). */
import type { GraphSnapshot } from "../../server/graph-snapshot.js";
import { element } from "../browser.js";
import { GraphChart, stateColours } from "../graph-chart.js";
import { LiveSocket } from "../live-socket.js";
import { legend, mainArea, panel } from "../page-frame.js";

const section = panel(mainArea(), "Task graph", "graph-panel");
const summary = element("div", "hint");
section.body.appendChild(summary);
const chart = new GraphChart(section.body, summary);
section.body.appendChild(legend([...Object.entries(stateColours).map(([state, colour]): [string, string] => [colour, state]), ["#3c4d8a", "memory (prefix colour)"]]));

new LiveSocket(["graph"], 0, (message) => {
  if (message.type === "graph") chart.update(message.data as GraphSnapshot);
});
