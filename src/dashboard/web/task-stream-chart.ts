/**
 * The task stream on a canvas: one row per worker thread, one rectangle per compute,
 * transfer or disk action. Compute takes its task prefix's colour, errors are black,
 * transfers red and disk I/O orange (both translucent), as in Dask.
 *
 * Drawing 100,000 rectangles stays fast because rectangles are first sorted into colour
 * buckets (one fillStyle change per bucket, not per rectangle) and, within a bucket,
 * rectangles of the same row that touch or overlap on screen (closer than a pixel) are
 * painted as one run: at a zoom where a gap is narrower than a pixel it cannot be seen.
 *
 * Interaction: the wheel zooms around the pointer, dragging pans, a double click returns to
 * following the live data, hovering names the task.
 */
import type { DomElement, PointerLikeEvent } from "./browser.js";
import { CanvasSurface } from "./canvas-surface.js";
import { formatBytes, formatSeconds } from "./format.js";
import { rectKinds, type RectKind } from "./stream-kinds.js";
import type { TaskStreamStore } from "./task-stream-store.js";

/** Colours of the kinds not drawn in their task prefix's colour. */
const kindStyle: Partial<Record<RectKind, { colour: string; alpha: number }>> = {
  error: { colour: "#000000", alpha: 1 },
  transfer: { colour: "#d62728", alpha: 0.4 },
  "disk-read": { colour: "#ff7f0e", alpha: 0.4 },
  "disk-write": { colour: "#ff7f0e", alpha: 0.4 },
  deserialize: { colour: "#7f7f7f", alpha: 0.4 },
};
/** Colour buckets below this number are kinds; the rest are task prefixes. */
const specialKinds = rectKinds.length;
const axisHeight = 18;

/** Legend entries for transfers, disk I/O and errors (task prefixes add their own). */
export function kindLegendItems(): Array<[colour: string, label: string, alpha: number]> {
  const { transfer, "disk-read": disk, error } = kindStyle as Required<typeof kindStyle>;
  return [[transfer.colour, "transfer", transfer.alpha], [disk.colour, "disk read / write", disk.alpha], [error.colour, "error", error.alpha]];
}

export interface TaskStreamChartOptions {
  height: number;
  /** Draw row labels when rows are at least this tall (pixels). */
  labelRowsAbove?: number;
}

export class TaskStreamChart {
  readonly surface: CanvasSurface;
  /** Visible time range in seconds from the store's origin; null follows the data. */
  private range: [number, number] | null = null;
  private drag: { x: number; range: [number, number] } | null = null;
  private drawnVersion = -1;
  /** Milliseconds the last full draw took (shown to developers via the data attribute). */
  lastDrawMs = 0;

  constructor(parent: DomElement, private readonly store: TaskStreamStore, private readonly options: TaskStreamChartOptions) {
    this.surface = new CanvasSurface(parent, options.height, () => this.draw());
    const canvas = this.surface.canvas;
    canvas.addEventListener("wheel", (event) => this.zoom(event), { passive: false });
    canvas.addEventListener("mousedown", (event) => {
      this.drag = { x: this.surface.pointer(event).x, range: this.visibleRange() };
    });
    canvas.addEventListener("mousemove", (event) => this.move(event));
    canvas.addEventListener("mouseup", () => (this.drag = null));
    canvas.addEventListener("mouseleave", () => {
      this.drag = null;
      this.surface.showTooltip(null);
    });
    canvas.addEventListener("dblclick", () => {
      this.range = null;
      this.surface.invalidate();
    });
  }

  /** Call when the store changed. */
  refresh(): void {
    if (this.store.version !== this.drawnVersion) this.surface.invalidate();
  }

  get following(): boolean {
    return this.range === null;
  }

  private visibleRange(): [number, number] {
    if (this.range) return this.range;
    const [low, high] = this.store.timeRange();
    const span = Math.max(high - low, 1e-3);
    return [low - span * 0.01, high + span * 0.01];
  }

  private plotWidth(): { left: number; width: number } {
    const rows = Math.max(this.store.rows.size, 1);
    const rowHeight = (this.surface.height - axisHeight) / rows;
    const left = rowHeight >= (this.options.labelRowsAbove ?? 11) ? 120 : 0;
    return { left, width: Math.max(this.surface.width - left, 10) };
  }

  private zoom(event: PointerLikeEvent): void {
    event.preventDefault();
    const { left, width } = this.plotWidth();
    const [t0, t1] = this.visibleRange();
    const at = t0 + ((this.surface.pointer(event).x - left) / width) * (t1 - t0);
    const factor = Math.exp(event.deltaY * 0.0015);
    const span = Math.max((t1 - t0) * factor, 1e-4);
    const fraction = (at - t0) / (t1 - t0);
    this.range = [at - fraction * span, at - fraction * span + span];
    this.surface.invalidate();
  }

  private move(event: PointerLikeEvent): void {
    const point = this.surface.pointer(event);
    const { left, width } = this.plotWidth();
    if (this.drag) {
      const [t0, t1] = this.drag.range;
      const shift = ((point.x - this.drag.x) / width) * (t1 - t0);
      this.range = [t0 - shift, t1 - shift];
      this.surface.invalidate();
      this.surface.showTooltip(null);
      return;
    }
    this.surface.showTooltip(this.describeAt(point.x - left, point.y, width), point.x, point.y);
  }

  private describeAt(x: number, y: number, width: number): string | null {
    const store = this.store;
    const rows = Math.max(store.rows.size, 1);
    const rowHeight = (this.surface.height - axisHeight) / rows;
    const position = Math.floor(y / rowHeight);
    const [t0, t1] = this.visibleRange();
    const scale = width / (t1 - t0);
    const time = t0 + x / scale;
    const tolerance = 1.5 / scale;
    for (let n = store.count - 1; n >= 0; n--) {
      const i = store.index(n);
      if (store.rowOrder.get(store.row[i]) !== position) continue;
      if (store.start[i] - tolerance <= time && time <= store.stop[i] + tolerance) {
        const kind = rectKinds[store.kind[i]] ?? "compute";
        const duration = formatSeconds(store.stop[i] - store.start[i]);
        const moved = store.bytes[i] > 0 ? ` · ${formatBytes(store.bytes[i])}` : "";
        return `${store.key[i]}\n${kind} · ${duration}${moved}\n${store.rows.get(store.row[i])?.label ?? ""}`;
      }
    }
    return null;
  }

  private draw(): void {
    const began = performance.now();
    const g = this.surface.context;
    const store = this.store;
    this.drawnVersion = store.version;
    const rows = Math.max(store.rows.size, 1);
    const plotHeight = this.surface.height - axisHeight;
    const rowHeight = plotHeight / rows;
    const { left, width } = this.plotWidth();
    const [t0, t1] = this.visibleRange();
    const scale = width / (t1 - t0);
    const gap = rowHeight > 4 ? 1 : 0;
    const rowPosition: number[] = [];
    for (const [id, position] of store.rowOrder) rowPosition[id] = position;

    // Bucket rectangles by colour: compute by prefix, the other kinds by kind.
    const bucketCount = specialKinds + store.prefixes.size + 1;
    const counts = new Int32Array(bucketCount + 1);
    const bucketOf = (i: number) => (store.kind[i] === 0 ? specialKinds + Math.min(store.prefix[i], store.prefixes.size) : store.kind[i]);
    for (let n = 0; n < store.count; n++) counts[bucketOf(store.index(n)) + 1]++;
    for (let b = 1; b <= bucketCount; b++) counts[b] += counts[b - 1];
    const order = new Int32Array(store.count);
    const fill = counts.slice(0, bucketCount);
    for (let n = 0; n < store.count; n++) {
      const i = store.index(n);
      order[fill[bucketOf(i)]++] = i;
    }
    const runStart = new Float64Array(rows);
    const runEnd = new Float64Array(rows).fill(-Infinity);
    const rowTop = (position: number) => position * rowHeight + gap / 2;
    const barHeight = Math.max(rowHeight - gap, 1);
    const flush = (position: number) => {
      if (runEnd[position] === -Infinity) return;
      g.fillRect(runStart[position], rowTop(position), Math.max(runEnd[position] - runStart[position], 1), barHeight);
      runEnd[position] = -Infinity;
    };
    g.save();
    g.beginPath();
    g.rect(left, 0, width, plotHeight);
    g.clip();
    // Compute first, then transfers, disk and errors on top of it.
    const drawOrder = [...Array.from({ length: bucketCount - specialKinds }, (_, k) => specialKinds + k), 1, 2, 3, 4, 5];
    for (const b of drawOrder) {
      if (counts[b] === counts[b + 1]) continue;
      const style = b < specialKinds ? kindStyle[rectKinds[b]] : { colour: store.prefixes.get(b - specialKinds)?.colour ?? "#888888", alpha: 1 };
      if (!style) continue;
      g.fillStyle = style.colour;
      g.globalAlpha = style.alpha;
      for (let k = counts[b]; k < counts[b + 1]; k++) {
        const i = order[k];
        const x0 = left + (store.start[i] - t0) * scale;
        const x1 = Math.max(left + (store.stop[i] - t0) * scale, x0 + 1);
        if (x1 < left || x0 > left + width) continue;
        const position = rowPosition[store.row[i]] ?? 0;
        if (x0 <= runEnd[position] + 1 && x1 >= runStart[position] - 1) {
          if (x0 < runStart[position]) runStart[position] = x0;
          if (x1 > runEnd[position]) runEnd[position] = x1;
          continue;
        }
        flush(position);
        runStart[position] = x0;
        runEnd[position] = x1;
      }
      for (let position = 0; position < rows; position++) flush(position);
    }
    g.restore();
    g.globalAlpha = 1;
    this.drawAxis(left, width, plotHeight, t0, t1, rowHeight);
    this.lastDrawMs = performance.now() - began;
    this.surface.canvas.dataset.drawMs = this.lastDrawMs.toFixed(1);
    this.surface.canvas.dataset.rectangles = String(store.count);
  }

  private drawAxis(left: number, width: number, plotHeight: number, t0: number, t1: number, rowHeight: number): void {
    const g = this.surface.context;
    g.fillStyle = "#6b7280";
    g.strokeStyle = "#e5e7eb";
    g.font = "11px system-ui, sans-serif";
    g.textBaseline = "top";
    g.textAlign = "center";
    const span = t1 - t0;
    const step = niceStep(span / Math.max(width / 90, 1));
    g.beginPath();
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      const x = left + ((t - t0) / span) * width;
      g.moveTo(x, plotHeight);
      g.lineTo(x, plotHeight + 4);
      g.fillText(formatSeconds(t), x, plotHeight + 5);
    }
    g.stroke();
    if (left > 0) {
      g.textAlign = "right";
      g.textBaseline = "middle";
      for (const [id, position] of this.store.rowOrder) {
        g.fillText(this.store.rows.get(id)?.label ?? "", left - 6, position * rowHeight + rowHeight / 2, left - 10);
      }
    }
    if (this.store.count === 0) {
      g.textAlign = "center";
      g.textBaseline = "middle";
      g.fillText("no tasks have run yet", left + width / 2, plotHeight / 2);
    }
  }
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}
