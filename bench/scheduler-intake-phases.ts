/**
 * The scheduler's intake of `ta.ones([n, n], { chunks: [1, 1] }).sum()` in one process, phase
 * by phase (CPU seconds of this process): the client's update-graph parts are built as the
 * client builds them (captured, not sent), then handed to a scheduler state with two workers
 * as the server hands them: checked (parseMessage), taken apart (submittedPart), staged
 * (graph-part: block layers expanded there), completed (graph-completed: ordered, wanted, the roots queued). For profiling
 * the intake (`node --cpu-prof`); bench/scheduler-intake.ts measures a real scheduler process.
 * Anchor, same run: the CPU seconds of a Map of one key string and one small object per block.
 *   node --expose-gc dist/bench/scheduler-intake-phases.js [n=1000] [runs=3]
 */
import type { Connection } from "../src/comm/connection.js";
import * as ta from "../src/array/index.js";
import { lowerArrays } from "../src/array/lower.js";
import { sendGraph } from "../src/client/graph-parts.js";
import { parseMessage } from "../src/protocol/fast-validation.js";
import type { Message } from "../src/protocol/messages.js";
import { SchedulerState } from "../src/scheduler/state/scheduler-state.js";
import { handleSchedulerEvent } from "../src/scheduler/state/scheduler-machine.js";
import { submittedPart } from "../src/scheduler/server/message-events.js";
import { median } from "./bench-support.js";

const n = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** The update-graph messages the client sends for the sum, in order. */
async function clientParts(): Promise<Array<{ message: Message; frames: Uint8Array[] }>> {
  const parts: Array<{ message: Message; frames: Uint8Array[] }> = [];
  let reqId = 0;
  const capture = {
    request: (message: Message, frames: Uint8Array[] = []) => {
      parts.push({ message: { ...message, reqId: ++reqId } as Message, frames });
      return Promise.resolve({ result: null, frames: [] });
    },
    flush: () => {},
    send: () => {},
    isClosed: false,
  } as unknown as Connection;
  const total = ta.ones([n, n], { chunks: [1, 1] }).sum();
  const lowered = lowerArrays([total], () => false, (node) => (node as ta.Array).blockKeys(), 0);
  sendGraph(capture, new Map(), [...lowered.graph.taskList.values()], lowered.keys.flat(), {}, undefined, lowered.graph.layers);
  for (let last = -1; parts.length !== last; ) {
    last = parts.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return parts;
}

const cpu = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
};

function intake(parts: ReadonlyArray<{ message: Message; frames: Uint8Array[] }>): Record<string, number> {
  const state = new SchedulerState();
  handleSchedulerEvent(state, { type: "client-added", clientId: "c", now: 1 });
  for (const name of ["w0", "w1"]) {
    handleSchedulerEvent(state, { type: "worker-added", identity: { address: `tcp://${name}:1`, name, nthreads: 1, memoryLimit: 4 << 30, localDirectory: "/tmp", pid: 1, host: name }, now: 1 });
  }
  const phases = { check: 0, expand: 0, stage: 0, complete: 0 };
  let wanted: string[] = [];
  const started = cpu();
  for (const { message, frames } of parts) {
    let at = cpu();
    const parsed = parseMessage(message);
    if ("problem" in parsed) throw new Error(`refused: ${parsed.problem}`);
    const checked = parsed.message;
    if (checked.op !== "update-graph") throw new Error(`not an update-graph: ${checked.op}`);
    phases.check += cpu() - at;
    at = cpu();
    const { tasks, layers } = submittedPart(checked, frames);
    phases.expand += cpu() - at;
    at = cpu();
    handleSchedulerEvent(state, { type: "graph-part", clientId: "c", submission: "s", tasks, layers, now: 2 });
    phases.stage += cpu() - at;
    wanted = wanted.concat(checked.wanted);
  }
  const at = cpu();
  const commands = handleSchedulerEvent(state, { type: "graph-completed", clientId: "c", submission: "s", wanted, now: 3 });
  phases.complete = cpu() - at;
  if (!commands.some((command) => command.type === "to-worker")) throw new Error("nothing was dispatched");
  return { ...phases, total: cpu() - started, tasks: state.tasks.size };
}

/** The anchor: a Map from `count` block-key strings to one small object each (CPU seconds). */
function mapAnchor(count: number): number {
  const started = cpu();
  const map = new Map<string, { key: string; deps: string[] }>();
  for (let i = 0; i < count; i++) {
    const key = `('ones-${i % 7}', ${Math.floor(i / 1000)}, ${i % 1000})`;
    map.set(key, { key, deps: [] });
  }
  if (map.size !== count) throw new Error("anchor map lost keys");
  return cpu() - started;
}

const parts = await clientParts();
const anchorRuns = [mapAnchor(n * n)];
const results = [];
for (let i = 0; i < runs; i++) {
  gc();
  results.push(intake(parts));
}
const summary: Record<string, number> = {};
for (const phase of Object.keys(results[0])) summary[phase] = median(results.map((r) => r[phase]));
anchorRuns.push(mapAnchor(n * n), mapAnchor(n * n));
const anchor = median(anchorRuns);
process.stdout.write(`${JSON.stringify({ n, parts: parts.length, median: summary, anchorCpuSeconds: anchor, intakeOverAnchor: summary.total / anchor, runs: results })}\n`);
