/**
 * The scheduler's state machine CPU per task, without sockets (issue 10: on 2 cores the
 * scheduler competes with the workers, so its CPU per task matters as much as latency).
 * Plays the x + x.T mean's graph shape (`--blocks` root loaders of 2 MB each, one fused add +
 * partial per block pair reading x_ij and x_ji, then a tree of fan-in 16) through
 * `handleSchedulerEvent` on 2 workers × 1 thread: workers report tasks started and finished
 * in the order they receive them, as real ones do. Prints µs of CPU per task for the intake
 * (graph-submitted), and for the run (task-started + task-finished + the dispatches they cause),
 * and the commands per task. Deterministic; medians of `--rounds`.
 *
 *   node dist/bench/scheduler-per-task.js [--blocks 16] [--rounds 7]
 */
import { SchedulerState, defaultSchedulerSettings } from "../src/scheduler/state/scheduler-state.js";
import { handleSchedulerEvent } from "../src/scheduler/state/scheduler-machine.js";
import type { SchedulerCommand } from "../src/scheduler/state/commands.js";
import type { SubmittedTask } from "../src/scheduler/state/events.js";
import { fmt, median, printTable, checkFlags } from "./bench-support.js";

checkFlags(["--blocks", "--rounds"], []);
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const side = Number(arg("--blocks", "16"));
const rounds = Number(arg("--rounds", "7"));

/** The graph: random blocks, add + partial per block, a 16-way tree of combines. */
function graph(round: number): { tasks: SubmittedTask[]; final: string } {
  const tasks: SubmittedTask[] = [];
  const task = (key: string, deps: string[]): void => {
    tasks.push({ key, fn: { builtin: "graph.noop" }, args: [{ $ref: 0 }, { chunk: [500, 500], op: "sum" }], frames: [], deps });
  };
  const rand = (i: number, j: number) => `random-${round}-${i}.${j}`;
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) task(rand(i, j), []);
  let level: string[] = [];
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const key = `add-partial-${round}-${i}.${j}`;
      task(key, i === j ? [rand(i, j)] : [rand(i, j), rand(j, i)]);
      level.push(key);
    }
  }
  for (let depth = 0; level.length > 1; depth++) {
    const next: string[] = [];
    for (let g = 0; g < level.length; g += 16) {
      const key = `combine-${round}-${depth}.${g / 16}`;
      task(key, level.slice(g, g + 16));
      next.push(key);
    }
    level = next;
  }
  return { tasks, final: level[0] };
}

function cpuMicros(): number {
  const used = process.cpuUsage();
  return used.user + used.system;
}

function run(round: number): { intake: number; perTask: number; commandsPerTask: number; tasks: number } {
  const state = new SchedulerState({ ...defaultSchedulerSettings });
  let now = 1000;
  const commands: SchedulerCommand[] = [];
  const send = (event: Parameters<typeof handleSchedulerEvent>[1]) => {
    for (const command of handleSchedulerEvent(state, event)) commands.push(command);
  };
  send({ type: "client-added", clientId: "c1", now });
  const workers = ["tcp://w1", "tcp://w2"];
  for (const address of workers) {
    send({ type: "worker-added", identity: { address, name: address, nthreads: 1, memoryLimit: 4e9, localDirectory: "/tmp", pid: 1, host: "h" }, now });
  }
  const { tasks, final } = graph(round);
  const intakeStart = cpuMicros();
  send({ type: "graph-submitted", clientId: "c1", tasks, wanted: [final], now });
  const intake = cpuMicros() - intakeStart;
  // Each worker runs what it was sent, in order; one task at a time.
  const queues = new Map(workers.map((w) => [w, [] as Array<{ key: string; runId: number }>]));
  let taken = 0;
  const takeNew = () => {
    for (; taken < commands.length; taken++) {
      const command = commands[taken];
      if (command.type === "to-worker" && command.message.op === "compute-task") {
        queues.get(command.address)?.push({ key: command.message.key, runId: command.message.runId });
      }
    }
  };
  const runStart = cpuMicros();
  let finished = 0;
  takeNew();
  for (let progress = true; progress;) {
    progress = false;
    for (const address of workers) {
      const next = queues.get(address)?.shift();
      if (!next) continue;
      progress = true;
      now += 0.002;
      send({ type: "tasks-started", address, keys: [next.key], now });
      const big = next.key.startsWith("random");
      send({ type: "task-finished", address, key: next.key, runId: next.runId, nbytes: big ? 2_000_000 : 8, dataType: "NDArray", startstops: [{ action: "compute", start: now - 0.002, stop: now }], thread: 0, now });
      finished++;
      takeNew();
    }
  }
  const runCpu = cpuMicros() - runStart;
  if (state.tasks.get(final)?.status !== "memory") throw new Error(`the final task is ${state.tasks.get(final)?.status}, ${finished} of ${tasks.length} finished`);
  return { intake: intake / tasks.length, perTask: runCpu / finished, commandsPerTask: commands.length / tasks.length, tasks: tasks.length };
}

const results = [];
for (let r = 0; r < rounds; r++) results.push(run(r));
printTable(`the scheduler's state machine alone, an x + x.T mean of ${side}² blocks (${results[0].tasks} tasks) on 2 workers × 1 thread, median of ${rounds}`, [{
  "intake CPU µs/task": fmt(median(results.map((r) => r.intake)), 1),
  "run CPU µs/task (started + finished + dispatch)": fmt(median(results.map((r) => r.perTask)), 1),
  "commands/task": fmt(median(results.map((r) => r.commandsPerTask)), 2),
}]);
