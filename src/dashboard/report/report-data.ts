/**
 * What a performance report or profile page embeds: everything its page needs to draw,
 * as one JSON document (the task stream in the dashboard's compact columnar form).
 */
import type { ProfileNode } from "../../protocol/profile-tree.js";
import type { StreamDelta } from "../server/stream-encoder.js";

export interface ReportWorker {
  name: string;
  address: string;
  host: string;
  nthreads: number;
  memoryLimit: number;
  jobId: string | null;
}

export interface ReportSummary {
  tasks: number;
  erred: number;
  /** Seconds summed over every task's start/stop entries, by action. */
  computeSeconds: number;
  transferSeconds: number;
  diskSeconds: number;
  serializationSeconds: number;
  bytesTransferred: number;
  transfers: number;
}

export interface PerformanceReportData {
  kind: "performance-report";
  title: string;
  generated: number;
  version: string;
  start: number;
  stop: number;
  summary: ReportSummary;
  /**
   * Per task prefix: tasks, compute time, and peak memory of one task as the plan estimated it
   * before submitting and as the workers measured it (null when unknown).
   */
  prefixes: Array<{ prefix: string; colour: string; tasks: number; computeSeconds: number; estimatedPeakBytes: number | null; measuredPeakBytes: number | null }>;
  stream: StreamDelta;
  profile: { intervalMs: number; tree: ProfileNode; byWorker: Array<{ worker: string; tree: ProfileNode }> };
  /** Bytes received by worker `to` from worker `from`: bytes[from][to]. */
  bandwidth: { workers: string[]; bytes: number[][]; seconds: number[][] };
  cluster: { scheduler: string; id: string; dashboard: string | null; workers: ReportWorker[] };
  config: unknown;
  source: { file: string | null; code: string | null; callback: string };
  /** Each mapOverlap of the run: cells read per cell written with a task per chunk, and chunks that would bring it under 2×. */
  halos: Array<{ name: string; shape: number[]; chunks: number[]; depth: number[]; overhead: number; suggestedChunks: number[] | null }>;
}

export interface ProfileReportData {
  kind: "profile";
  title: string;
  generated: number;
  version: string;
  intervalMs: number;
  tree: ProfileNode;
  byWorker: Array<{ worker: string; tree: ProfileNode }>;
}

export type ReportData = PerformanceReportData | ProfileReportData;
