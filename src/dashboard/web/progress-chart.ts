/**
 * Progress per task prefix, one bar each, segments left to right as in Dask: done and
 * released (prefix colour, faint), in memory (prefix colour), erred (black), processing
 * (grey), queued (grey, hatched), no worker (red, hatched); the rest of the bar is waiting.
 */
import type { ProgressRow } from "../server/status-snapshot.js";
import type { DomElement, CanvasPattern } from "./browser.js";
import { CanvasSurface, hatchPattern } from "./canvas-surface.js";
import { formatCount } from "./format.js";

const rowHeight = 24;

export class ProgressChart {
  private rows: ProgressRow[] = [];
  private readonly surface: CanvasSurface;
  private patterns: { queued: CanvasPattern | null; noWorker: CanvasPattern | null } | null = null;

  constructor(parent: DomElement) {
    this.surface = new CanvasSurface(parent, rowHeight, () => this.draw());
  }

  update(rows: ProgressRow[]): void {
    this.rows = rows;
    // For tests and scripts that read the page: totals over all prefixes.
    const canvas = this.surface.canvas;
    canvas.dataset.done = String(rows.reduce((n, r) => n + r.memory + r.released + r.erred, 0));
    canvas.dataset.total = String(rows.reduce((n, r) => n + r.total, 0));
    this.surface.setHeight(Math.max(rows.length, 1) * rowHeight + 4);
    this.surface.invalidate();
  }

  private draw(): void {
    const g = this.surface.context;
    this.patterns ??= { queued: hatchPattern(g, "rgba(127,127,127,0.35)", "#ffffff"), noWorker: hatchPattern(g, "rgba(214,39,40,0.35)", "#000000") };
    const labelWidth = Math.min(180, this.surface.width * 0.3);
    const countWidth = 110;
    const barWidth = Math.max(this.surface.width - labelWidth - countWidth, 20);
    g.font = "12px system-ui, sans-serif";
    g.textBaseline = "middle";
    if (this.rows.length === 0) {
      g.fillStyle = "#6b7280";
      g.fillText("nothing to do", 4, rowHeight / 2);
      return;
    }
    this.rows.forEach((row, index) => {
      const y = index * rowHeight + 3;
      const h = rowHeight - 8;
      g.globalAlpha = 1;
      g.fillStyle = "#1f2430";
      g.textAlign = "left";
      g.fillText(row.prefix, 2, y + h / 2, labelWidth - 8);
      g.globalAlpha = 0.1;
      g.fillStyle = "#7f7f7f";
      g.fillRect(labelWidth, y, barWidth, h);
      let x = labelWidth;
      const segment = (n: number, fill: string | CanvasPattern | null, alpha: number) => {
        if (n <= 0 || !fill) return;
        const w = (n / row.total) * barWidth;
        g.globalAlpha = alpha;
        g.fillStyle = fill;
        g.fillRect(x, y, w, h);
        x += w;
      };
      segment(row.released, row.colour, 0.6);
      segment(row.memory, row.colour, 1);
      segment(row.erred, "#000000", 0.5);
      segment(row.processing, "#7f7f7f", 0.35);
      segment(row.queued, this.patterns?.queued ?? "#bbbbbb", 1);
      segment(row.noWorker, this.patterns?.noWorker ?? "#d62728", 1);
      g.globalAlpha = 1;
      g.fillStyle = "#1f2430";
      g.textAlign = "right";
      const done = row.memory + row.released + row.erred;
      g.fillText(`${formatCount(done)} / ${formatCount(row.total)}${row.erred ? ` (${formatCount(row.erred)} erred)` : ""}`, this.surface.width - 2, y + h / 2, countWidth - 6);
    });
  }
}
