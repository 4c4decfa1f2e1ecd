/**
 * client.profile({ filename }) writes this: the sampled stacks of the workers' compute
 * threads as a flame graph in one self-contained HTML file (all workers, then each worker).
 */
import { unixSeconds } from "../../core/clock.js";
import type { ProfileResult } from "../../protocol/profile-tree.js";
import { writeReportHtml } from "./report-html.js";
import { tesseraVersion } from "./tessera-version.js";

export async function writeProfileHtml(filename: string, profile: ProfileResult, options: { title?: string; prefix?: string; workerNames?: Record<string, string> } = {}): Promise<void> {
  const names = options.workerNames ?? {};
  await writeReportHtml(filename, {
    kind: "profile",
    title: options.title ?? `tessera profile${options.prefix ? ` · ${options.prefix}` : ""}`,
    generated: unixSeconds(),
    version: tesseraVersion(),
    intervalMs: profile.intervalMs,
    tree: profile.tree,
    byWorker: Object.entries(profile.byWorker).map(([address, tree]) => ({ worker: names[address] ?? address, tree })),
  });
}
