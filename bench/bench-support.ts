// Shared by the benchmarks: running the Python anchors, medians, and printing a table.
import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const anchors = fileURLToPath(new URL("../../bench/anchors/", import.meta.url));
const python = (): string => process.env.TESSERA_BENCH_PYTHON ?? "/usr/bin/python3";
const lastJsonLine = (out: string): Record<string, number> => JSON.parse(out.trim().split("\n").pop() ?? "{}") as Record<string, number>;

/**
 * Runs a Python anchor and parses its JSON output; null if it cannot run. Debian's python3 (the
 * one with Dask and zarr-python here) unless TESSERA_BENCH_PYTHON names another: the 16-core
 * device machine's python3 with numpy and scipy is elsewhere (bench/dog-scaling.ts).
 */
export function runAnchor(script: string, args: string[], timeoutMs = 600_000): Record<string, number> | null {
  try {
    return lastJsonLine(execFileSync(python(), [`${anchors}${script}`, ...args], { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] }));
  } catch (error) {
    process.stderr.write(`anchor ${script} could not run: ${(error as Error).message.split("\n")[0]}\n`);
    return null;
  }
}

/** runAnchor without blocking, for several copies at once (bench/dog-scaling.ts); rejects if it cannot run. */
export async function runAnchorAsync(script: string, args: string[]): Promise<Record<string, number>> {
  return lastJsonLine((await promisify(execFile)(python(), [`${anchors}${script}`, ...args])).stdout);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  process.stdout.write(`\n${title}\n`);
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  process.stdout.write(`${columns.map((c, i) => c.padEnd(widths[i])).join("  ")}\n`);
  for (const row of rows) process.stdout.write(`${columns.map((c, i) => String(row[c]).padEnd(widths[i])).join("  ")}\n`);
}

export const fmt = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits));

/**
 * Refuses a command line naming a flag the bench does not know, or a valued flag without its
 * value: a mistyped flag (`--round 5`, `--help`) would otherwise be ignored and the whole
 * default bench run, Dask included, for figures the caller did not ask for.
 */
export function checkFlags(valued: readonly string[], switches: readonly string[] = []): void {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    if (valued.includes(flag)) {
      if (args[i + 1] === undefined || args[i + 1].startsWith("--")) throw new Error(`${flag} needs a value`);
      i += 1;
    } else if (!switches.includes(flag)) {
      const known = [...valued.map((name) => `${name} <value>`), ...switches].join(", ");
      throw new Error(`unknown argument ${flag}; this bench takes: ${known || "no arguments"}`);
    }
  }
}
