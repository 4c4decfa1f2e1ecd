/**
 * The Graph page's canvas. A graph of a few thousand tasks is drawn task by task in
 * layers (a task's layer is the longest chain of dependencies below it), each task a small
 * square coloured by its state (in memory: its prefix's colour). A larger graph arrives
 * summarised by task prefix and is drawn as one box per prefix, with its tasks' states as
 * a bar inside and an edge to each prefix it feeds.
 */
import type { GraphSnapshot, PrefixGraphSnapshot, TaskGraphSnapshot } from "../server/graph-snapshot.js";
import type { DomElement } from "./browser.js";
import { CanvasSurface } from "./canvas-surface.js";
import { formatCount } from "./format.js";

export const stateColours: Record<string, string> = {
  released: "#d9d9d9", waiting: "#b0b0b0", queued: "#8c8c8c", "no-worker": "#d62728", processing: "#2ca02c", erred: "#000000",
};

/** Layer of each node: longest path from a node without dependencies (Kahn's order). */
export function layers(nodeCount: number, edges: ReadonlyArray<readonly [number, number, ...number[]]>): number[] {
  const layer = new Array<number>(nodeCount).fill(0);
  const incoming = new Array<number>(nodeCount).fill(0);
  const out: number[][] = Array.from({ length: nodeCount }, () => []);
  for (const [from, to] of edges) {
    out[from].push(to);
    incoming[to]++;
  }
  const ready = [];
  for (let i = 0; i < nodeCount; i++) if (incoming[i] === 0) ready.push(i);
  while (ready.length > 0) {
    const node = ready.pop() as number;
    for (const next of out[node]) {
      layer[next] = Math.max(layer[next], layer[node] + 1);
      if (--incoming[next] === 0) ready.push(next);
    }
  }
  return layer;
}

export class GraphChart {
  private snapshot: GraphSnapshot | null = null;
  private readonly surface: CanvasSurface;
  private positions: Array<[number, number]> = [];
  private hitSize = 4;

  constructor(parent: DomElement, private readonly summary: DomElement) {
    this.surface = new CanvasSurface(parent, 480, () => this.draw());
    this.surface.canvas.addEventListener("mousemove", (event) => {
      const point = this.surface.pointer(event);
      this.surface.showTooltip(this.describeAt(point.x, point.y), point.x, point.y);
    });
    this.surface.canvas.addEventListener("mouseleave", () => this.surface.showTooltip(null));
  }

  update(snapshot: GraphSnapshot): void {
    this.snapshot = snapshot;
    if (snapshot.kind === "tasks") {
      const states = new Map<string, number>();
      for (const [, , state] of snapshot.nodes) states.set(state, (states.get(state) ?? 0) + 1);
      this.summary.textContent = snapshot.nodes.length === 0 ? "no tasks on the scheduler"
        : `${formatCount(snapshot.nodes.length)} tasks: ${[...states].map(([s, n]) => `${formatCount(n)} ${s}`).join(", ")}`;
    } else {
      this.summary.textContent = `${formatCount(snapshot.taskCount)} tasks, summarised by task prefix (${snapshot.nodes.length} prefixes)`;
    }
    this.surface.invalidate();
  }

  private describeAt(x: number, y: number): string | null {
    const snapshot = this.snapshot;
    if (!snapshot) return null;
    const index = this.positions.findIndex(([px, py]) => Math.abs(px - x) <= this.hitSize && Math.abs(py - y) <= this.hitSize);
    if (index < 0) return null;
    if (snapshot.kind === "tasks") {
      const [key, prefix, state] = snapshot.nodes[index];
      return `${key}\n${snapshot.prefixes[prefix]?.[0] ?? ""} · ${state}`;
    }
    const node = snapshot.nodes[index];
    return `${node.prefix}\n${Object.entries(node.counts).map(([s, n]) => `${formatCount(n)} ${s}`).join(", ")}`;
  }

  private draw(): void {
    const snapshot = this.snapshot;
    const g = this.surface.context;
    g.font = "11px system-ui, sans-serif";
    if (!snapshot || snapshot.nodes.length === 0) {
      this.positions = [];
      g.fillStyle = "#6b7280";
      g.textBaseline = "middle";
      g.fillText("no tasks on the scheduler", 6, 20);
      return;
    }
    if (snapshot.kind === "tasks") this.drawTasks(snapshot);
    else this.drawPrefixes(snapshot);
  }

  private arrange(nodeCount: number, edges: ReadonlyArray<readonly [number, number, ...number[]]>, margin: number): number {
    const layer = layers(nodeCount, edges);
    const width = this.surface.width - 2 * margin;
    const height = this.surface.height - 2 * margin;
    const layerCount = Math.max(...layer) + 1;
    const perLayer = new Array<number>(layerCount).fill(0);
    const slot = layer.map((l) => perLayer[l]++);
    // A layer too tall for the canvas wraps into several columns of at most `perColumn` nodes.
    const minimumSpacing = margin > 20 ? 40 : 6;
    const perColumn = Math.max(Math.floor(height / minimumSpacing), 1);
    const columnsOf = perLayer.map((n) => Math.max(Math.ceil(n / perColumn), 1));
    const firstColumn = columnsOf.map((_, l) => columnsOf.slice(0, l).reduce((a, b) => a + b, 0));
    const columns = columnsOf.reduce((a, b) => a + b, 0);
    const tallest = Math.min(Math.max(...perLayer), perColumn);
    const spacing = Math.min(height / Math.max(tallest, 1), 24);
    this.positions = layer.map((l, i) => {
      const column = firstColumn[l] + Math.floor(slot[i] / perColumn);
      const inColumn = Math.min(perLayer[l] - (column - firstColumn[l]) * perColumn, perColumn);
      const row = slot[i] % perColumn;
      return [
        margin + (columns === 1 ? width / 2 : (column / (columns - 1)) * width),
        margin + (height - spacing * inColumn) / 2 + row * spacing + spacing / 2,
      ];
    });
    return spacing;
  }

  private drawTasks(snapshot: TaskGraphSnapshot): void {
    const g = this.surface.context;
    const spacing = this.arrange(snapshot.nodes.length, snapshot.edges, 16);
    const size = Math.max(Math.min(spacing * 0.7, 10), 1.5);
    this.hitSize = Math.max(size, 3);
    if (snapshot.edges.length <= 20_000) {
      g.strokeStyle = "#9ca3af";
      g.globalAlpha = snapshot.edges.length > 2000 ? 0.15 : 0.4;
      g.beginPath();
      for (const [from, to] of snapshot.edges) {
        g.moveTo(this.positions[from][0], this.positions[from][1]);
        g.lineTo(this.positions[to][0], this.positions[to][1]);
      }
      g.stroke();
      g.globalAlpha = 1;
    }
    snapshot.nodes.forEach(([, prefix, state], i) => {
      g.fillStyle = state === "memory" ? (snapshot.prefixes[prefix]?.[1] ?? "#1f77b4") : (stateColours[state] ?? "#cccccc");
      g.fillRect(this.positions[i][0] - size / 2, this.positions[i][1] - size / 2, size, size);
    });
  }

  private drawPrefixes(snapshot: PrefixGraphSnapshot): void {
    const g = this.surface.context;
    this.arrange(snapshot.nodes.length, snapshot.edges, 70);
    this.hitSize = 60;
    g.strokeStyle = "#9ca3af";
    for (const [from, to, count] of snapshot.edges) {
      const [x0, y0] = this.positions[from];
      const [x1, y1] = this.positions[to];
      g.lineWidth = Math.min(1 + Math.log10(count), 6);
      g.beginPath();
      g.moveTo(x0 + 55, y0);
      g.bezierCurveTo((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, x1 - 55, y1);
      g.stroke();
    }
    g.lineWidth = 1;
    snapshot.nodes.forEach((node, i) => {
      const [x, y] = this.positions[i];
      const total = Object.values(node.counts).reduce((a, b) => a + b, 0) || 1;
      g.fillStyle = "#ffffff";
      g.fillRect(x - 55, y - 16, 110, 32);
      g.strokeStyle = node.colour;
      g.strokeRect(x - 55, y - 16, 110, 32);
      let cursor = x - 52;
      for (const state of ["memory", "erred", "processing", "queued", "no-worker", "waiting", "released"]) {
        const n = node.counts[state] ?? 0;
        if (n === 0) continue;
        const w = (n / total) * 104;
        g.fillStyle = state === "memory" ? node.colour : stateColours[state];
        g.fillRect(cursor, y + 4, w, 8);
        cursor += w;
      }
      g.fillStyle = "#1f2430";
      g.textAlign = "center";
      g.textBaseline = "middle";
      g.fillText(`${node.prefix} (${formatCount(total)})`, x, y - 6, 104);
    });
  }
}
