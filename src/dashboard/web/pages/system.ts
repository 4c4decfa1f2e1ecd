/** The System page: the scheduler process's CPU, memory and event-loop delay over time. */
import type { SystemSample } from "../../server/system-monitor.js";
import { formatBytes, formatPercent, formatSeconds } from "../format.js";
import { LineChart } from "../line-chart.js";
import { LiveSocket } from "../live-socket.js";
import { mainArea, panel } from "../page-frame.js";

const main = mainArea();
const cpu = new LineChart(panel(main, "Scheduler CPU", "cpu-panel").body, "#1f77b4", formatPercent);
const memory = new LineChart(panel(main, "Scheduler memory (resident)", "memory-panel").body, "#2ca02c", formatBytes);
const loop = new LineChart(panel(main, "Scheduler event-loop delay", "loop-panel").body, "#d62728", formatSeconds);

new LiveSocket(["system"], 0, (message) => {
  if (message.type !== "system") return;
  const samples = message.data as SystemSample[];
  const apply = (chart: LineChart, pick: (s: SystemSample) => number) => {
    const points = samples.map((s): [number, number] => [s.time, pick(s)]);
    if (message.reset) chart.set(points);
    else chart.add(points);
  };
  apply(cpu, (s) => s.cpu);
  apply(memory, (s) => s.rss);
  apply(loop, (s) => s.loopDelay);
});
