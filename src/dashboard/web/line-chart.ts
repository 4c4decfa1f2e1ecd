/** A small time-series chart (System page): one line, y from 0 to the data's maximum. */
import type { DomElement } from "./browser.js";
import { CanvasSurface } from "./canvas-surface.js";

export class LineChart {
  private points: Array<[number, number]> = [];
  private readonly surface: CanvasSurface;

  constructor(parent: DomElement, private readonly colour: string, private readonly format: (value: number) => string, private readonly capacity = 600) {
    this.surface = new CanvasSurface(parent, 150, () => this.draw());
  }

  set(points: Array<[number, number]>): void {
    this.points = points.slice(-this.capacity);
    this.surface.invalidate();
  }

  add(points: Array<[number, number]>): void {
    this.points.push(...points);
    if (this.points.length > this.capacity) this.points.splice(0, this.points.length - this.capacity);
    this.surface.invalidate();
  }

  private draw(): void {
    const g = this.surface.context;
    const width = this.surface.width;
    const height = this.surface.height - 16;
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#6b7280";
    if (this.points.length < 2) {
      g.textBaseline = "middle";
      g.fillText("collecting…", 4, height / 2);
      return;
    }
    const t0 = this.points[0][0];
    const t1 = this.points[this.points.length - 1][0];
    const top = Math.max(...this.points.map((p) => p[1])) * 1.1 || 1;
    const x = (t: number) => 44 + ((t - t0) / Math.max(t1 - t0, 1e-9)) * (width - 50);
    const y = (v: number) => 4 + height - (v / top) * (height - 4);
    g.strokeStyle = "#e5e7eb";
    g.beginPath();
    g.moveTo(44, y(0));
    g.lineTo(width, y(0));
    g.stroke();
    g.textAlign = "right";
    g.textBaseline = "middle";
    g.fillText(this.format(top / 1.1), 40, y(top / 1.1));
    g.fillText(this.format(0), 40, y(0));
    g.textAlign = "left";
    g.textBaseline = "top";
    g.fillText(`last ${Math.round(t1 - t0)} s`, 44, height + 4);
    g.strokeStyle = this.colour;
    g.lineWidth = 1.5;
    g.beginPath();
    this.points.forEach(([t, v], i) => (i === 0 ? g.moveTo(x(t), y(v)) : g.lineTo(x(t), y(v))));
    g.stroke();
    g.lineWidth = 1;
    g.textAlign = "right";
    g.fillStyle = "#1f2430";
    g.fillText(`now ${this.format(this.points[this.points.length - 1][1])}`, width - 2, height + 4);
  }
}
