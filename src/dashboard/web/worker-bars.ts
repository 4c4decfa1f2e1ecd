/**
 * One horizontal bar per worker, for memory, tasks processing or CPU. Memory bars follow
 * Dask's colours: blue normally, orange above the target/spill threshold or while retiring,
 * red above the terminate threshold or while paused; the part of process memory not held
 * as results is fainter and spilled bytes are grey. Processing: blue, green when the worker
 * has more tasks than threads (saturated), red when idle while others work.
 */
import type { StatusSnapshot, WorkerRow } from "../server/status-snapshot.js";
import type { DomElement } from "./browser.js";
import { CanvasSurface } from "./canvas-surface.js";
import { formatBytes, formatCount, formatPercent } from "./format.js";

export type WorkerMeasure = "memory" | "processing" | "cpu";

export const memoryColours = { normal: "#1f77b4", high: "#ff7f0e", critical: "#d62728", spilled: "#7f7f7f" };

export class WorkerBars {
  private snapshot: StatusSnapshot | null = null;
  private readonly surface: CanvasSurface;

  constructor(parent: DomElement, private measure: WorkerMeasure) {
    this.surface = new CanvasSurface(parent, 40, () => this.draw());
    this.surface.canvas.addEventListener("mousemove", (event) => {
      const point = this.surface.pointer(event);
      const worker = this.workerAt(point.y);
      this.surface.showTooltip(worker ? this.describe(worker) : null, point.x, point.y);
    });
    this.surface.canvas.addEventListener("mouseleave", () => this.surface.showTooltip(null));
  }

  setMeasure(measure: WorkerMeasure): void {
    this.measure = measure;
    this.surface.invalidate();
  }

  update(snapshot: StatusSnapshot): void {
    this.snapshot = snapshot;
    this.surface.setHeight(Math.max(snapshot.workers.length * this.rowHeight(snapshot.workers.length), 24) + 4);
    this.surface.invalidate();
  }

  private rowHeight(n: number): number {
    return n <= 16 ? 22 : n <= 64 ? 10 : 5;
  }

  private workerAt(y: number): WorkerRow | undefined {
    const workers = this.snapshot?.workers ?? [];
    return workers[Math.floor(y / this.rowHeight(workers.length))];
  }

  private describe(worker: WorkerRow): string {
    if (this.measure === "memory") {
      return `${worker.name}\nprocess ${formatBytes(worker.memory)} of ${formatBytes(worker.memoryLimit)}\nmanaged ${formatBytes(worker.managed)} · spilled ${formatBytes(worker.spilled)}`;
    }
    if (this.measure === "cpu") return `${worker.name}\nCPU ${formatPercent(worker.cpu)}`;
    return `${worker.name}\n${formatCount(worker.processing)} processing on ${worker.nthreads} threads`;
  }

  private draw(): void {
    const g = this.surface.context;
    const workers = this.snapshot?.workers ?? [];
    g.font = "11px system-ui, sans-serif";
    g.textBaseline = "middle";
    if (workers.length === 0) {
      g.fillStyle = "#6b7280";
      g.fillText("no workers", 4, 12);
      return;
    }
    const height = this.rowHeight(workers.length);
    const labels = height >= 10;
    const labelWidth = labels ? Math.min(110, this.surface.width * 0.3) : 0;
    const barWidth = Math.max(this.surface.width - labelWidth - 70, 20);
    const scale = this.scaleMaximum(workers);
    workers.forEach((worker, index) => {
      const y = index * height + 1;
      const h = Math.max(height - 3, 2);
      g.globalAlpha = 0.1;
      g.fillStyle = "#7f7f7f";
      g.fillRect(labelWidth, y, barWidth, h);
      g.globalAlpha = 1;
      const bar = (from: number, amount: number, colour: string, alpha = 1) => {
        const x = labelWidth + (from / scale) * barWidth;
        g.globalAlpha = alpha;
        g.fillStyle = colour;
        g.fillRect(x, y, Math.min((amount / scale) * barWidth, labelWidth + barWidth - x), h);
        g.globalAlpha = 1;
      };
      let text = "";
      if (this.measure === "memory") {
        const colour = memoryColours[worker.memoryLevel];
        const managed = Math.min(worker.managed, worker.memory);
        bar(0, managed, colour);
        bar(managed, worker.memory - managed, colour, 0.4);
        bar(worker.memory, worker.spilled, memoryColours.spilled, 0.6);
        text = formatBytes(worker.memory);
      } else if (this.measure === "processing") {
        const busyElsewhere = workers.some((w) => w.processing > 0);
        const colour = worker.processing > worker.nthreads ? "#2ca02c" : worker.processing === 0 && busyElsewhere ? "#d62728" : "#1f77b4";
        bar(0, Math.max(worker.processing, worker.processing === 0 && busyElsewhere ? scale * 0.01 : 0), colour);
        text = formatCount(worker.processing);
      } else {
        bar(0, worker.cpu, "#1f77b4");
        text = formatPercent(worker.cpu);
      }
      g.fillStyle = "#1f2430";
      if (labels) {
        g.textAlign = "left";
        g.fillText(worker.name, 2, y + h / 2, labelWidth - 6);
        g.textAlign = "right";
        g.fillText(text, this.surface.width - 2, y + h / 2, 66);
      }
    });
  }

  private scaleMaximum(workers: WorkerRow[]): number {
    if (this.measure === "memory") return Math.max(...workers.map((w) => Math.max(w.memoryLimit, w.memory + w.spilled)), 1);
    if (this.measure === "cpu") return Math.max(100, ...workers.map((w) => w.cpu));
    return Math.max(1, ...workers.map((w) => Math.max(w.processing, w.nthreads)));
  }
}
