// A node:test reporter that prints, once the run ends, the test files that took longest (the
// sum of their top-level tests and suites, hooks included), so that the suite's budget can be
// watched: scripts/test.sh adds it beside the spec reporter. It reports time; it asserts nothing.
const shown = 10;

/** @param {AsyncIterable<{ type: string, data: { nesting?: number, file?: string, details?: { duration_ms?: number } } }>} source */
export default async function* slowestTestFiles(source) {
  /** @type {Map<string, number>} */
  const milliseconds = new Map();
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { nesting, file, details } = event.data;
    if (nesting !== 0 || !file) continue;
    milliseconds.set(file, (milliseconds.get(file) ?? 0) + (details?.duration_ms ?? 0));
  }
  if (milliseconds.size === 0) return;
  const root = `${process.cwd()}/`;
  const slowest = [...milliseconds].sort((a, b) => b[1] - a[1]).slice(0, shown);
  const total = [...milliseconds.values()].reduce((sum, ms) => sum + ms, 0);
  yield `\nslowest test files (${milliseconds.size} files, ${(total / 1000).toFixed(0)} s of tests in all):\n`;
  for (const [file, ms] of slowest) yield `${(ms / 1000).toFixed(1).padStart(8)} s  ${file.startsWith(root) ? file.slice(root.length) : file}\n`;
}
