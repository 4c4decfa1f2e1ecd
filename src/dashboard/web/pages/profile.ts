/**
 * The Profile page: a flame graph of the stacks sampled in the workers' compute threads,
 * for all task prefixes or one, over a chosen time range; refreshed every two seconds
 * while "live" is on.
 */
import type { ProfileResult } from "../../../protocol/profile-tree.js";
import { browser, element, type InputElement, type SelectElement } from "../browser.js";
import { FlameGraph } from "../flame-graph.js";
import { formatCount, formatSeconds } from "../format.js";
import { setLiveState } from "../live-socket.js";
import { mainArea, panel } from "../page-frame.js";

const section = panel(mainArea(), "Profile of the worker threads", "profile-panel");
const controls = element("div", "controls");
const prefixSelect = element("select") as SelectElement;
const since = element("input") as InputElement;
since.type = "range";
since.min = "0";
since.max = "100";
since.value = "0";
const sinceLabel = element("span");
const live = element("input") as InputElement;
live.type = "checkbox";
live.checked = true;
controls.append("task prefix", prefixSelect, "from", since, sinceLabel, element("label", "", live, " live"));
section.body.appendChild(controls);
const flame = new FlameGraph(section.body);

let timeline: Array<[number, number]> = [];
let knownPrefixes = "";

function startTime(): number | undefined {
  if (timeline.length === 0 || since.value === "0") return undefined;
  const index = Math.floor((Number(since.value) / 100) * (timeline.length - 1));
  return timeline[index][0];
}

async function load(): Promise<void> {
  const params = new URLSearchParams();
  if (prefixSelect.value) params.set("prefix", prefixSelect.value);
  const from = startTime();
  if (from !== undefined) params.set("since", String(from));
  const response = await browser.fetch(`json/profile?${params.toString()}`);
  if (!response.ok) {
    setLiveState("disconnected");
    return;
  }
  setLiveState("connected");
  const result = (await response.json()) as ProfileResult;
  if (from === undefined) timeline = result.timeline;
  const prefixes = Object.keys(result.prefixes).sort();
  if (prefixes.join("\n") !== knownPrefixes) {
    knownPrefixes = prefixes.join("\n");
    const chosen = prefixSelect.value;
    const all = element("option", "", "all task prefixes");
    all.setAttribute("value", "");
    prefixSelect.replaceChildren(all, ...prefixes.map((p) => {
      const option = element("option", "", p);
      option.setAttribute("value", p);
      return option;
    }));
    prefixSelect.value = prefixes.includes(chosen) ? chosen : "";
  }
  sinceLabel.textContent = from === undefined ? "the start" : `${formatSeconds(Date.now() / 1000 - from)} ago`;
  section.note.textContent = `${formatCount(result.tree.count)} samples every ${result.intervalMs} ms ≈ ${formatSeconds((result.tree.count * result.intervalMs) / 1000)} of thread time`;
  flame.set(result.tree, result.intervalMs);
}

const reload = () => void load().catch(() => setLiveState("disconnected"));
prefixSelect.addEventListener("change", reload);
since.addEventListener("change", reload);
browser.setInterval(() => {
  if (live.checked) reload();
}, 2000);
reload();
