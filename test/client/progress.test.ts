import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { renderProgress, TerminalProgress, type ProgressOutput } from "../../src/client/progress.js";

describe("the terminal progress bar's lines", () => {
  it("shows done / total, percent, elapsed, rate and the label", () => {
    const [line] = renderProgress({ label: "toZarr", elapsedSeconds: 4, prefixes: [{ prefix: "store", done: 30, erred: 0, total: 120 }] }, 100);
    assert.match(line, /^█+░+ +25% 30\/120 tasks \| 4\.0 s \| 7\.5 tasks\/s \| toZarr$/);
    assert.ok(line.length < 100);
  });

  it("adds one line per task prefix, errors counted, and stays within the terminal width", () => {
    const lines = renderProgress({ label: "", elapsedSeconds: 90, prefixes: [
      { prefix: "gaussian-filter", done: 8, erred: 0, total: 8 }, { prefix: "from-zarr", done: 4, erred: 1, total: 8 },
    ] }, 60);
    assert.equal(lines.length, 3);
    assert.match(lines[0], /12\/16 tasks \(1 erred\) \| 1 min 30 s/);
    assert.match(lines[1], /^ {2}from-zarr +[█░]+ 4\/8 \(1 erred\)$/);
    assert.match(lines[2], /^ {2}gaussian-filter [█]+ 8\/8$/);
    for (const line of lines) assert.ok(line.length <= 59, `"${line}" is wider than the terminal`);
  });
});

class FakeTerminal implements ProgressOutput {
  readonly isTTY: boolean;
  readonly columns = 80;
  text = "";
  private waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  constructor(isTTY: boolean) {
    this.isTTY = isTTY;
  }
  write(text: string): boolean {
    this.text += text;
    this.waiters = this.waiters.filter((waiter) => !(waiter.pattern.test(this.text) && (waiter.resolve(), true)));
    return true;
  }
  /** Resolves once what was written matches (the bar redraws on its own timer). */
  async written(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    if (pattern.test(this.text)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push({ pattern, resolve })),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${pattern} on the terminal within ${timeoutMs} ms; it shows: ${JSON.stringify(this.text)}`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }
}

describe("the terminal progress bar", () => {
  const finished = (key: string) => ({ key, status: "OK", startstops: [{ stop: Date.now() / 1000 }] });

  it("stays quiet when the output is not a terminal", () => {
    const output = new FakeTerminal(false);
    assert.equal(TerminalProgress.start({ getTaskStream: async () => [] }, ["inc-1"], { output }), null);
    assert.equal(output.text, "");
  });

  it("counts the computation's own tasks as the scheduler reports them, redrawing in place", async () => {
    const reported: unknown[] = [];
    const output = new FakeTerminal(true);
    const progress = TerminalProgress.start({ getTaskStream: async () => reported }, ["('inc', 0)", "('inc', 1)", "('total',)"], { output, delayMs: 0, intervalMs: 20 });
    assert.ok(progress);
    reported.push(finished("('inc', 0)"), finished("('someone-else', 0)"));
    await output.written(/1\/3 tasks/);
    assert.doesNotMatch(output.text, /2\/3 tasks/, "another computation's task is not counted");
    reported.push(finished("('inc', 1)"));
    await output.written(/2\/3 tasks/);
    assert.match(output.text, /\x1b\[\d+F/, "later frames move the cursor back up");
    await progress.stop(true);
    assert.match(output.text, /100% 3\/3 tasks[^\n]*\n[^]*total +█+ 1\/1\n$/);
  });
});

describe("progress of client.compute in a real terminal", () => {
  const script = fileURLToPath(new URL("./fixtures/progress-run.js", import.meta.url));
  const env = { ...process.env, TESSERA_PROGRESS_FIXTURE: "1", TESSERA_LOG_LEVEL: "error" };

  it("draws the bar when stdout is a terminal and prints nothing otherwise", () => {
    // `script` gives the child a pseudo-terminal, as an interactive shell would.
    const inTerminal = execFileSync("script", ["-qfec", `${process.execPath} ${script}`, "/dev/null"], { env, encoding: "utf8", timeout: 120_000 });
    assert.match(inTerminal, /100% 40\/40 tasks/);
    assert.match(inTerminal, /tasks\/s \| compute/);
    assert.match(inTerminal, /slow-square/);
    assert.match(inTerminal, /result 19019/);
    const piped = spawnSync(process.execPath, [script], { env, encoding: "utf8", timeout: 120_000 });
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, "result 19019\n");
  });
});
